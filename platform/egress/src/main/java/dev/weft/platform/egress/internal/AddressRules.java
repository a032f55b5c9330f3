package dev.weft.platform.egress.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses an outbound request may never reach unless the operator allows them: loopback,
 * unspecified, private, shared, link-local (cloud metadata), multicast, reserved and documentation
 * ranges, in IPv4 and IPv6, with IPv4 addresses embedded in IPv6 forms (mapped, compatible, NAT64,
 * 6to4) judged as the IPv4 address they carry.
 */
final class AddressRules {

    private AddressRules() {
    }

    /** Why the address is refused, or empty when it is a public unicast address. */
    static Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet4Address) {
            return v4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return v6(address.getAddress());
        }
        return Optional.of("not an IP address");
    }

    private static Optional<String> v4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 0) {
            return Optional.of("an unspecified address (0.0.0.0/8)");
        }
        if (b0 == 127) {
            return Optional.of("a loopback address (127.0.0.0/8)");
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return Optional.of("a private address");
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of("a link-local address (169.254.0.0/16, where cloud metadata services answer)");
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return Optional.of("a shared address (100.64.0.0/10)");
        }
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            return Optional.of("a reserved address (192.0.0.0/24, 192.0.2.0/24)");
        }
        if (b0 == 192 && b1 == 88 && b2 == 99) {
            return Optional.of("a reserved address (192.88.99.0/24)");
        }
        if (b0 == 198 && (b1 == 18 || b1 == 19)) {
            return Optional.of("a benchmarking address (198.18.0.0/15)");
        }
        if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
            return Optional.of("a documentation address");
        }
        if (b0 >= 224 && b0 <= 239) {
            return Optional.of("a multicast address (224.0.0.0/4)");
        }
        if (b0 >= 240) {
            return Optional.of("a reserved address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> v6(byte[] a) {
        if (allZero(a, 0, 16)) {
            return Optional.of("the unspecified address (::)");
        }
        if (allZero(a, 0, 15) && a[15] == 1) {
            return Optional.of("the loopback address (::1)");
        }
        // ::ffff:a.b.c.d (mapped): judged as the IPv4 address; ::a.b.c.d (compatible): deprecated, refused
        if (allZero(a, 0, 10) && a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
            return v4(slice(a, 12)).map(r -> r + ", inside an IPv6 address");
        }
        if (allZero(a, 0, 12)) {
            return Optional.of("an IPv4-compatible IPv6 address (::/96)");
        }
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        // 64:ff9b::/96 (NAT64): the IPv4 address it translates to
        if (w0 == 0x0064 && w1 == 0xff9b && allZero(a, 4, 12)) {
            return v4(slice(a, 12)).map(r -> r + ", through NAT64");
        }
        if (w0 == 0x0064 && w1 == 0xff9b) {
            return Optional.of("a local-use NAT64 address (64:ff9b:1::/48)");
        }
        if (w0 == 0x2002) {
            byte[] embedded = {a[2], a[3], a[4], a[5]};
            return v4(embedded).map(r -> r + ", inside a 6to4 address");
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return Optional.of("a Teredo address (2001::/32)");
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return Optional.of("a documentation address (2001:db8::/32)");
        }
        if (w0 == 0x0100 && allZero(a, 2, 8)) {
            return Optional.of("a discard address (100::/64)");
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return Optional.of("a unique local address (fc00::/7, where some cloud metadata services answer)");
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return Optional.of("a link-local address (fe80::/10)");
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return Optional.of("a site-local address (fec0::/10)");
        }
        if ((w0 & 0xff00) == 0xff00) {
            return Optional.of("a multicast address (ff00::/8)");
        }
        if ((w0 & 0xe000) != 0x2000) {
            return Optional.of("an address outside the global unicast range (2000::/3)");
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] a, int from) {
        byte[] out = new byte[4];
        System.arraycopy(a, from, out, 0, 4);
        return out;
    }

    /**
     * Reads an IPv4 address the way {@code inet_aton} does: one to four parts, each decimal, octal
     * (leading 0) or hexadecimal (0x), the last part filling the remaining bytes. Returns empty for
     * anything that is not such a number, so that a host name is looked up as a name.
     */
    static Optional<InetAddress> numericV4(String host) {
        if (host.isEmpty() || !host.matches("[0-9a-fA-FxX.]+") || !Character.isDigit(host.charAt(0))) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                if (p.isEmpty()) {
                    return Optional.empty();
                } else if (p.startsWith("0x") || p.startsWith("0X")) {
                    values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(p, 10);
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        long value = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            value |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        int lastBytes = 4 - (values.length - 1);
        if (last >= (1L << (8 * lastBytes))) {
            return Optional.empty();
        }
        value |= last;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
