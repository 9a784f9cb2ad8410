package dev.taskgate.auth;

import dev.taskgate.error.TaskgateException;

/**
 * The API key a request presents, the same way for REST headers and gRPC metadata: {@code
 * X-API-Key}, or {@code Authorization: Bearer <key>}. A request that presents two different keys
 * is refused rather than guessed at.
 */
public final class Credentials {

    private static final String BEARER = "Bearer ";

    private Credentials() {
    }

    /** The presented key (stripped), or null when there is none; UNAUTHENTICATED for two different keys. */
    public static String presented(String xApiKey, String authorization) {
        String bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
        String key = xApiKey == null ? null : xApiKey.strip();
        if (key != null && bearer != null && !key.equals(bearer)) {
            throw TaskgateException.unauthorized();
        }
        return key != null ? key : bearer;
    }
}
