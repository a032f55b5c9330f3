package dev.weft.platform.egress.internal;

import dev.weft.api.http.EgressException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A URL read once, strictly, and then used both for the checks and for the connection, so that no
 * second parser can see a different host.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host in ASCII, lower case, without a trailing dot; an IPv6 literal without brackets
 * @param literal the address when the host is an IP literal (in any IPv4 notation), else empty
 * @param port the port, explicit or the scheme's default
 * @param uri the URI to request: ASCII, normalised host, no fragment, no user information
 */
record Target(String scheme, String host, Optional<InetAddress> literal, int port, URI uri) {

    static final int MAX_URL_LENGTH = 8192;

    static Target parse(String text) {
        if (text == null) {
            throw invalid("a URL is required");
        }
        String url = text.strip();
        if (url.isEmpty()) {
            throw invalid("a URL is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("the URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)) {
                throw invalid("the URL contains white space or a control character");
            }
            if (c == '\\') {
                throw invalid("the URL contains a backslash");
            }
        }
        int colon = url.indexOf(':');
        String scheme = colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw invalid("the URL has no scheme; only http and https are allowed");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new EgressException(EgressException.BLOCKED,
                    "egress blocked: the scheme " + scheme + " is not allowed; only http and https are");
        }
        if (!url.startsWith("//", colon + 1)) {
            throw invalid("the URL has no host: it must start with " + scheme + "://");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(authorityStart, authorityEnd);
        if (authority.contains("@")) {
            throw invalid("the URL contains credentials (user@host); use the request's authorization instead");
        }
        if (!authority.chars().allMatch(c -> c < 0x80)) {
            // an internationalised host: to ASCII first (this also folds full-width digits and dots)
            int portAt = authority.lastIndexOf(':');
            String hostPart = portAt > 0 && !authority.startsWith("[") ? authority.substring(0, portAt) : authority;
            String portPart = hostPart.length() < authority.length() ? authority.substring(hostPart.length()) : "";
            try {
                hostPart = IDN.toASCII(hostPart, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw invalid("the URL's host name is not valid");
            }
            url = url.substring(0, authorityStart) + hostPart + portPart + url.substring(authorityEnd);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("the URL cannot be read: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("the URL contains credentials (user@host); use the request's authorization instead");
        }
        authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw invalid("the URL has no host");
        }
        String rawHost;
        String rawPort = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid("the URL's IPv6 address has no closing bracket");
            }
            rawHost = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (rest.startsWith(":")) {
                rawPort = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw invalid("the URL's authority cannot be read");
            }
        } else {
            int portAt = authority.indexOf(':');
            rawHost = portAt < 0 ? authority : authority.substring(0, portAt);
            rawPort = portAt < 0 ? null : authority.substring(portAt + 1);
        }
        String host;
        Optional<InetAddress> literal;
        if (rawHost.startsWith("[")) {
            host = rawHost.substring(1, rawHost.length() - 1).toLowerCase(Locale.ROOT);
            if (host.contains("%")) {
                throw invalid("IPv6 zone identifiers are not allowed in URLs");
            }
            if (!host.matches("[0-9a-f:.]+")) {
                throw invalid("the URL's IPv6 address cannot be read");
            }
            try {
                literal = Optional.of(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                throw invalid("the URL's IPv6 address cannot be read");
            }
        } else {
            host = rawHost.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.isEmpty() || !host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw invalid("the URL's host name is not valid");
            }
            literal = AddressRules.numericV4(host);
        }
        int port;
        if (rawPort == null) {
            port = scheme.equals("https") ? 443 : 80;
        } else if (rawPort.isEmpty()) {
            throw invalid("the URL has an empty port");
        } else if (!rawPort.matches("[0-9]{1,5}")) {
            throw invalid("the URL's port is not a number");
        } else {
            port = Integer.parseInt(rawPort);
        }
        if (port < 1 || port > 65535) {
            throw invalid("the URL's port is out of range");
        }
        String hostPart = literal.map(a -> a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]"
                : a.getHostAddress()).orElse(host);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        URI normalised;
        try {
            normalised = new URI(scheme + "://" + hostPart + (defaultPort ? "" : ":" + port) + path + query);
        } catch (URISyntaxException e) {
            throw invalid("the URL cannot be read: " + e.getReason());
        }
        return new Target(scheme, literal.isPresent() ? literal.get().getHostAddress() : host, literal, port,
                URI.create(normalised.toASCIIString()));
    }

    /** Resolves a Location header against this URL, for a redirect. */
    Target redirect(String location) {
        if (location == null || location.isBlank()) {
            throw new EgressException(EgressException.FAILED, "a redirect without a Location header");
        }
        String trimmed = location.strip();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw invalid("the redirect's Location contains a control character or a backslash");
            }
        }
        URI resolved;
        try {
            resolved = uri.resolve(new URI(trimmed.replace(" ", "%20")));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid("the redirect's Location cannot be read");
        }
        return parse(resolved.toString());
    }

    /** host:port for messages, never with path or query (which may carry secrets). */
    String origin() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static EgressException invalid(String message) {
        return new EgressException(EgressException.INVALID_URL, message);
    }
}
