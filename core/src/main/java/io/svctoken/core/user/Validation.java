package io.svctoken.core.user;

import io.svctoken.core.EsMessages;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Elasticsearch's rules for user names, role names, passwords and role descriptions, with its
 * messages (facts from {@code x-pack/plugin/core/.../security/support/Validation.java},
 * {@code NativeRealmValidationUtil.java} and {@code FileRealmValidationUtil.java} in
 * elastic/elasticsearch). An empty result means "valid", as Elasticsearch's {@code null} does.
 *
 * <p>A user or role name is 1 to {@code maxLength} characters from the printable Basic Latin block
 * (space through {@code ~}), without a leading or trailing space. The maximum is
 * {@value #MAX_NAME_LENGTH} by default and for the file realm, {@value #NATIVE_MAX_NAME_LENGTH} for
 * names stored in the native realm (the document id carries a {@code user-}/{@code role-} prefix).
 */
public final class Validation {

    public static final int MIN_NAME_LENGTH = 1;
    /** The default, also the file realm's ({@code users}, {@code users_roles}, {@code roles.yml}). */
    public static final int MAX_NAME_LENGTH = 1024;
    /** The native realm's ({@code PUT /_security/user|role/...}). */
    public static final int NATIVE_MAX_NAME_LENGTH = 507;

    private Validation() {
    }

    /** Length within bounds, every char in {@code ' '..'~'}, no leading or trailing space. */
    public static boolean isValidUserOrRoleName(String name, int maxLength) {
        if (name == null || name.length() < MIN_NAME_LENGTH || name.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return !name.startsWith(" ") && !name.endsWith(" ");
    }

    public static final class Users {

        public static final int MIN_PASSWORD_LENGTH = 6;
        /** svctoken's bound for any password hashing algorithm (Elasticsearch has none): UTF-8 bytes. */
        public static final int MAX_PASSWORD_BYTES = 1024;
        /** What bcrypt uses of a password: the rest is ignored, so longer passwords are refused. */
        public static final int BCRYPT_MAX_PASSWORD_BYTES = 72;

        private Users() {
        }

        /** With the default maximum length ({@value Validation#MAX_NAME_LENGTH}). */
        public static Optional<String> validateUsername(String username, boolean allowReserved, ReservedUsers reserved) {
            return validateUsername(username, allowReserved, reserved, MAX_NAME_LENGTH);
        }

        /**
         * @param allowReserved when false, a name {@code reserved} reports as reserved is refused
         *                      ({@code Username [x] is reserved and may not be used.})
         */
        public static Optional<String> validateUsername(String username, boolean allowReserved, ReservedUsers reserved, int maxLength) {
            if (username == null) {
                return Optional.of(EsMessages.USERNAME_MISSING);
            }
            if (!isValidUserOrRoleName(username, maxLength)) {
                return Optional.of(EsMessages.invalidUserOrRoleName("User", maxLength));
            }
            if (!allowReserved && reserved.isReserved(username)) {
                return Optional.of(EsMessages.usernameIsReserved(username));
            }
            return Optional.empty();
        }

        /** At least {@value #MIN_PASSWORD_LENGTH} chars ({@code passwords must be at least [6] characters long}). */
        public static Optional<String> validatePassword(CharSequence password) {
            return password.length() >= MIN_PASSWORD_LENGTH ? Optional.empty() : Optional.of(EsMessages.passwordTooShort(MIN_PASSWORD_LENGTH));
        }

        /**
         * svctoken's upper bounds of a new password (Elasticsearch has none): at most
         * {@value #BCRYPT_MAX_PASSWORD_BYTES} UTF-8 bytes when {@code hashingAlgorithm} is a bcrypt one (bcrypt
         * silently ignores the rest, so every password sharing the first 72 bytes would match), and at most
         * {@value #MAX_PASSWORD_BYTES} with any algorithm.
         *
         * @param hashingAlgorithm the password hashing algorithm's identifier ({@code bcrypt}, {@code bcrypt12}, {@code pbkdf2}...)
         */
        public static Optional<String> validatePasswordBytes(CharSequence password, String hashingAlgorithm) {
            long bytes = utf8Length(password);
            if (hashingAlgorithm.startsWith("bcrypt") && bytes > BCRYPT_MAX_PASSWORD_BYTES) {
                return Optional.of(EsMessages.passwordTooLongForBcrypt(BCRYPT_MAX_PASSWORD_BYTES, hashingAlgorithm));
            }
            return bytes > MAX_PASSWORD_BYTES ? Optional.of(EsMessages.passwordTooLong(MAX_PASSWORD_BYTES)) : Optional.empty();
        }

        /** The UTF-8 length as the hashers encode (a lone surrogate becomes one replacement byte), without copying. */
        static long utf8Length(CharSequence s) {
            long n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n += 1;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else if (Character.isSurrogate(c)) {
                    n += 1;
                } else {
                    n += 3;
                }
            }
            return n;
        }
    }

    public static final class Roles {

        public static final int MAX_DESCRIPTION_LENGTH = 1000;

        private Roles() {
        }

        /** With the default maximum length ({@value Validation#MAX_NAME_LENGTH}). */
        public static Optional<String> validateRoleName(String roleName, boolean allowReserved, Predicate<String> isReservedRole) {
            return validateRoleName(roleName, allowReserved, isReservedRole, MAX_NAME_LENGTH);
        }

        /**
         * @param isReservedRole typically {@code ReservedRoles.forVersion(v)::isReserved}
         */
        public static Optional<String> validateRoleName(String roleName, boolean allowReserved, Predicate<String> isReservedRole,
                                                        int maxLength) {
            if (roleName == null) {
                return Optional.of(EsMessages.ROLE_NAME_MISSING);
            }
            if (!isValidUserOrRoleName(roleName, maxLength)) {
                return Optional.of(EsMessages.invalidUserOrRoleName("Role", maxLength));
            }
            if (!allowReserved && isReservedRole.test(roleName)) {
                return Optional.of(EsMessages.roleIsReserved(roleName));
            }
            return Optional.empty();
        }

        /** More than {@value #MAX_DESCRIPTION_LENGTH} chars is refused; {@code null} is fine. */
        public static Optional<String> validateRoleDescription(String description) {
            if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
                return Optional.of(EsMessages.roleDescriptionTooLong(MAX_DESCRIPTION_LENGTH));
            }
            return Optional.empty();
        }
    }
}
