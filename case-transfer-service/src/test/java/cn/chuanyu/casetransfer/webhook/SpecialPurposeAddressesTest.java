package cn.chuanyu.casetransfer.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpecialPurposeAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // The addresses issue 13 found accepted in production mode.
        "fd00::1", "fc00::1", "fd00:ec2::254", "100.64.0.1", "0.0.0.1", "64:ff9b::a9fe:a9fe",
        // IANA IPv4 special-purpose registry, multicast and reserved.
        "0.0.0.0", "10.0.0.1", "10.255.255.255", "100.127.255.254", "127.0.0.1", "127.1.2.3", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.0.0.9", "192.0.0.170", "192.0.2.1", "192.31.196.1", "192.52.193.1",
        "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7",
        "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IANA IPv6 special-purpose registry, multicast, and whatever lies outside global unicast 2000::/3.
        "::", "::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
        "64:ff9b::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b:1::5db8:d822", "100::1", "100:0:0:1::1",
        "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:db8::1", "2001:1ff:ffff::1",
        "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2002:c0a8:101::1", "2620:4f:8000::1", "3fff::1", "5f00::1",
        "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1", "4000::1", "::2"})
    void refusesEverySpecialPurposeAddress(String literal) throws UnknownHostException {
        assertThat(SpecialPurposeAddresses.rangeOf(InetAddress.getByName(literal))).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1",
        "172.15.255.255", "172.32.0.1", "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.1",
        "223.255.255.254", "2606:2800:220:1::", "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001:80b::200e",
        "64:ff9b::5db8:d822", "::ffff:93.184.216.34", "2002:5db8:d822::1", "2001:200::1"})
    void acceptsPublicUnicastAddresses(String literal) throws UnknownHostException {
        assertThat(SpecialPurposeAddresses.rangeOf(InetAddress.getByName(literal))).as(literal).isEmpty();
    }
}
