package dev.weft.platform.security;

/** A key just created: the token is shown this once and stored only as a hash. */
public record NewApiKey(ApiKey key, String token) {

    @Override
    public String toString() {
        return "NewApiKey[" + key + "]";
    }
}
