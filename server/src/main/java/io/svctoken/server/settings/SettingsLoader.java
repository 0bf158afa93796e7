package io.svctoken.server.settings;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings like Elasticsearch: the config dir from {@code ES_PATH_CONF} (else {@code config/}
 * in the install), {@code svctoken.yml} there (else {@code elasticsearch.yml}), nested YAML keys
 * flattened with dots, {@code ${VAR}} replaced from the environment, then {@code -E key=value}
 * overrides on top.
 */
public final class SettingsLoader {

    public static final String SETTINGS_FILE = "svctoken.yml";
    public static final String ES_SETTINGS_FILE = "elasticsearch.yml";
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private SettingsLoader() {
    }

    public static Path configDir(Path home, Map<String, String> env) {
        String conf = env.get("ES_PATH_CONF");
        return conf != null && !conf.isBlank() ? Path.of(conf).toAbsolutePath() : home.resolve("config");
    }

    /** The settings file in use, or null when there is none. */
    public static Path settingsFile(Path configDir) {
        Path own = configDir.resolve(SETTINGS_FILE);
        if (Files.exists(own)) {
            return own;
        }
        Path es = configDir.resolve(ES_SETTINGS_FILE);
        return Files.exists(es) ? es : null;
    }

    public static Map<String, String> load(Path configDir, List<String> commandLine, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        Path file = settingsFile(configDir);
        if (file != null) {
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
                        .readTree(file.toFile());
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new SettingsException("Failed to load settings from [" + file + "]: the file must hold key: value pairs");
                    }
                    flatten("", root, out, file);
                }
            } catch (JsonParseException e) {
                Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
                if (m.find()) {
                    throw new SettingsException("duplicate settings key [" + dottedPath(e, m.group(1)) + "] found in [" + file + "]", e);
                }
                throw new SettingsException("Failed to load settings from [" + file + "]: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new SettingsException("Failed to load settings from [" + file + "]: " + e.getMessage(), e);
            }
        }
        for (String kv : commandLine) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("setting [" + kv + "] must be in the form key=value");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        out.replaceAll((k, v) -> substitute(k, v, env));
        return out;
    }

    /** The full dotted key of a duplicate field, from the parser's position in the nesting. */
    private static String dottedPath(JsonParseException e, String field) {
        StringBuilder sb = new StringBuilder(field);
        JsonParser p = e.getProcessor();
        if (p != null) {
            for (JsonStreamContext c = p.getParsingContext().getParent(); c != null; c = c.getParent()) {
                if (c.getCurrentName() != null) {
                    sb.insert(0, c.getCurrentName() + ".");
                }
            }
        }
        return sb.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out, file);
            } else if (v.isArray()) {
                StringBuilder sb = new StringBuilder();
                v.forEach(x -> sb.append(sb.length() == 0 ? "" : ",").append(x.asText()));
                putUnique(out, key, sb.toString(), file);
            } else if (!v.isNull()) {
                putUnique(out, key, v.asText(), file);
            }
        }
    }

    private static void putUnique(Map<String, String> out, String key, String value, Path file) {
        if (out.put(key, value) != null) {
            throw new SettingsException("duplicate settings key [" + key + "] found in [" + file + "]");
        }
    }

    private static String substitute(String key, String value, Map<String, String> env) {
        Matcher m = ENV_VAR.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new SettingsException("Could not resolve placeholder '" + m.group(1) + "' in setting [" + key + "]");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
