package cn.chuanyu.casetransfer.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and successors), plus multicast and, for
 * IPv6, everything outside global unicast {@code 2000::/3}: the addresses a webhook must never reach, because they
 * are the platform's own network, a cloud's metadata service, or not the public Internet at all. Addresses that
 * carry an IPv4 address (IPv4-mapped, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the IPv4
 * address inside, so {@code 64:ff9b::a9fe:a9fe} is the metadata address it translates to.
 */
final class SpecialPurposeAddresses {

    /** Where an IPv6 range keeps an IPv4 address that decides instead of the range itself. */
    private enum Embedded { NONE, LAST_32_BITS, SIX_TO_FOUR }

    private record Range(byte[] prefix, int bits, String name, Embedded embedded) {

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Range> IPV4 = List.of(
            v4("0.0.0.0/8", "\"this network\""),
            v4("10.0.0.0/8", "private-use"),
            v4("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
            v4("127.0.0.0/8", "loopback"),
            v4("169.254.0.0/16", "link-local (cloud metadata)"),
            v4("172.16.0.0/12", "private-use"),
            v4("192.0.0.0/24", "IETF protocol assignments"),
            v4("192.0.2.0/24", "documentation (TEST-NET-1)"),
            v4("192.31.196.0/24", "AS112-v4"),
            v4("192.52.193.0/24", "AMT"),
            v4("192.88.99.0/24", "deprecated 6to4 relay anycast"),
            v4("192.168.0.0/16", "private-use"),
            v4("192.175.48.0/24", "direct delegation AS112 service"),
            v4("198.18.0.0/15", "benchmarking"),
            v4("198.51.100.0/24", "documentation (TEST-NET-2)"),
            v4("203.0.113.0/24", "documentation (TEST-NET-3)"),
            v4("224.0.0.0/4", "multicast"),
            v4("255.255.255.255/32", "limited broadcast"),
            v4("240.0.0.0/4", "reserved"));

    private static final List<Range> IPV6 = List.of(
            v6("::/128", "unspecified", Embedded.NONE),
            v6("::1/128", "loopback", Embedded.NONE),
            v6("::ffff:0:0/96", "IPv4-mapped", Embedded.LAST_32_BITS),
            v6("::/96", "IPv4-compatible (deprecated)", Embedded.NONE),
            v6("64:ff9b::/96", "NAT64 well-known prefix", Embedded.LAST_32_BITS),
            v6("64:ff9b:1::/48", "local-use IPv4/IPv6 translation", Embedded.NONE),
            v6("100::/64", "discard-only", Embedded.NONE),
            v6("100:0:0:1::/64", "dummy prefix", Embedded.NONE),
            v6("2001:db8::/32", "documentation", Embedded.NONE),
            v6("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)", Embedded.NONE),
            v6("2002::/16", "6to4", Embedded.SIX_TO_FOUR),
            v6("2620:4f:8000::/48", "direct delegation AS112 service", Embedded.NONE),
            v6("3fff::/20", "documentation", Embedded.NONE),
            v6("5f00::/16", "segment routing (SRv6) SIDs", Embedded.NONE),
            v6("fc00::/7", "unique-local", Embedded.NONE),
            v6("fe80::/10", "link-local", Embedded.NONE),
            v6("fec0::/10", "site-local (deprecated)", Embedded.NONE),
            v6("ff00::/8", "multicast", Embedded.NONE));

    private static final Range GLOBAL_UNICAST = v6("2000::/3", "global unicast", Embedded.NONE);

    private SpecialPurposeAddresses() {
    }

    /**
     * The special-purpose range the address lies in, named for operators (e.g. {@code 169.254.0.0/16 link-local
     * (cloud metadata)}); empty for an ordinary globally reachable unicast address.
     */
    static Optional<String> rangeOf(InetAddress address) {
        return rangeOf(address.getAddress());
    }

    private static Optional<String> rangeOf(byte[] address) {
        if (address.length == 4) {
            return IPV4.stream().filter(r -> r.contains(address)).findFirst().map(Range::toString);
        }
        for (Range range : IPV6) {
            if (range.contains(address)) {
                return switch (range.embedded()) {
                    case NONE -> Optional.of(range.toString());
                    case LAST_32_BITS -> rangeOf(slice(address, 12)).map(inner -> range + " of " + inner);
                    case SIX_TO_FOUR -> rangeOf(slice(address, 2)).map(inner -> range + " of " + inner);
                };
            }
        }
        return GLOBAL_UNICAST.contains(address) ? Optional.empty()
                : Optional.of("outside global unicast 2000::/3");
    }

    private static byte[] slice(byte[] address, int from) {
        byte[] v4 = new byte[4];
        System.arraycopy(address, from, v4, 0, 4);
        return v4;
    }

    private static Range v4(String cidr, String name) {
        return range(cidr, name, Embedded.NONE, 4);
    }

    private static Range v6(String cidr, String name, Embedded embedded) {
        return range(cidr, name, embedded, 16);
    }

    private static Range range(String cidr, String name, Embedded embedded, int length) {
        String[] parts = cidr.split("/");
        byte[] prefix;
        try {
            // Literals only: no name is looked up.
            prefix = InetAddress.getByName(parts[0]).getAddress();
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException(cidr, ex);
        }
        if (prefix.length == 4 && length == 16) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the table wants the IPv6 bytes.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(prefix, 0, mapped, 12, 4);
            prefix = mapped;
        }
        return new Range(prefix, Integer.parseInt(parts[1]), cidr + " " + name, embedded);
    }
}
