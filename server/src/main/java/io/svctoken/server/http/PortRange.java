package io.svctoken.server.http;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.settings.Setting;
import io.svctoken.server.settings.SettingsException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code http.port} as Elasticsearch reads it: a port, a range {@code 9200-9300}, or a comma-separated list of both;
 * the node binds the first free port in order, and the tools connect to the first.
 */
public record PortRange(String text, List<int[]> pieces) {

    public static PortRange of(int port) {
        return new PortRange(Integer.toString(port), List.<int[]>of(new int[]{port, port}));
    }

    /** Elasticsearch's messages: "Failed to parse value [v] for setting [http.port]", plus " must be between 0 and 65535" for a port out of range. */
    public static PortRange parse(String key, String value) {
        List<int[]> pieces = new ArrayList<>();
        for (String piece : value.split(",", -1)) {
            String p = piece.trim();
            int dash = p.indexOf('-', 1); // after the first character: "-1" is a negative port, not a range
            int from = Setting.parseInt(key, dash < 0 ? p : p.substring(0, dash), 0, 65535);
            int to = dash < 0 ? from : Setting.parseInt(key, p.substring(dash + 1), 0, 65535);
            if (to < from) {
                throw new SettingsException(ServerEsMessages.failedToParseSetting(value, key));
            }
            pieces.add(new int[]{from, to});
        }
        return new PortRange(value.trim(), List.copyOf(pieces));
    }

    public int first() {
        return pieces.get(0)[0];
    }

    /** Every port, in the order the node tries them. */
    public List<Integer> ports() {
        List<Integer> all = new ArrayList<>();
        for (int[] p : pieces) {
            for (int port = p[0]; port <= p[1]; port++) {
                all.add(port);
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return text;
    }
}
