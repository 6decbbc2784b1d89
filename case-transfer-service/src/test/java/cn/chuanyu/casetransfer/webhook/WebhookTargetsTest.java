package cn.chuanyu.casetransfer.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTargetsTest {

    static WebhookTargets targets(boolean devMode, String... addresses) {
        return new WebhookTargets(host -> {
            InetAddress[] resolved = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                resolved[i] = InetAddress.getByName(addresses[i]);
            }
            return resolved;
        }, new WebhookProperties(devMode, null, null, null, null, null, null));
    }

    @Test
    void aNameWithAnySpecialPurposeAnswerIsRefusedWhole() throws UnknownHostException {
        assertThatThrownBy(() -> targets(false, "93.184.216.34", "10.0.0.7").allowedAddresses("mixed.example"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining("10.0.0.7 is in 10.0.0.0/8 private-use");
        assertThat(targets(false, "93.184.216.34", "2606:2800:220:1::").allowedAddresses("public.example"))
                .hasSize(2);
    }

    @Test
    void devModeOpensLoopbackOnly() throws UnknownHostException {
        assertThat(targets(true, "127.0.0.1").allowedAddresses("localhost")).hasSize(1);
        assertThat(targets(true, "::1").allowedAddresses("localhost")).hasSize(1);
        assertThatThrownBy(() -> targets(true, "169.254.169.254").allowedAddresses("metadata"))
                .isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> targets(true, "192.168.1.1").allowedAddresses("router"))
                .isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> targets(false, "127.0.0.1").allowedAddresses("localhost"))
                .isInstanceOf(RefusedTargetException.class);
    }

    /** The socket is the last word: a connection to loopback is refused before it is made, whatever resolved it. */
    @Test
    void theSocketChecksTheAddressItIsAboutToConnectTo() throws IOException {
        try (ServerSocket internal = new ServerSocket()) {
            internal.bind(new InetSocketAddress("127.0.0.1", 0));
            internal.setSoTimeout(300);
            try (WebhookHttpClient.CheckedSocket socket = new WebhookHttpClient.CheckedSocket(targets(false))) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", internal.getLocalPort()),
                        1000)).isInstanceOf(RefusedTargetException.class).hasMessageContaining("127.0.0.0/8 loopback");
                assertThat(socket.isConnected()).isFalse();
            }
            assertThatThrownBy(internal::accept).isInstanceOf(java.net.SocketTimeoutException.class);
            // The same socket class does connect where the address is allowed (dev mode, loopback).
            try (WebhookHttpClient.CheckedSocket socket = new WebhookHttpClient.CheckedSocket(targets(true))) {
                socket.connect(new InetSocketAddress("127.0.0.1", internal.getLocalPort()), 1000);
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }
}
