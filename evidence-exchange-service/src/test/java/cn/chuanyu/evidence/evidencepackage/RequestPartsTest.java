package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.evidence.web.DigestHeaders;
import cn.chuanyu.evidence.web.PathSegments;
import cn.chuanyu.evidence.web.RangeNotSatisfiableException;
import cn.chuanyu.kit.web.InvalidParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File names, digest headers and byte ranges as they arrive in requests. */
class RequestPartsTest {

    @Test
    void itemNamesInPathsArePercentDecodedOnceAsUtf8AndChecked() {
        String base = "/api/v1/evidence-packages/p1/items/";
        assertThat(ItemNames.fromPath(base + "%E9%89%B4%E5%AE%9A%20a;b+c.pdf", "/items/")).isEqualTo("鉴定 a;b+c.pdf");
        assertThat(ItemNames.fromPath(base + "100%25.txt", "/items/")).isEqualTo("100%.txt");
        // Decomposed é arrives as the composed one: the same item.
        assertThat(ItemNames.fromPath(base + "e%CC%81.txt", "/items/")).isEqualTo("\u00E9.txt");
        for (String bad : new String[] {"%C3%28", "%4", "", "a%2Fb", "CON.txt"}) {
            assertThatThrownBy(() -> ItemNames.fromPath(base + bad, "/items/")).as(bad)
                    .isInstanceOf(InvalidParameterException.class)
                    .extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("fileName");
        }
        assertThat(PathSegments.encode("鉴定 a;b.pdf")).isEqualTo("%E9%89%B4%E5%AE%9A%20a%3Bb.pdf");
        assertThat(PathSegments.encode("100%.txt")).isEqualTo("100%25.txt");
    }

    @Test
    void reprDigestIsAnRfc9530Dictionary() {
        String sha = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        String hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(DigestHeaders.expectedSha256("sha-256=:" + sha + ":", null)).isEqualTo(hex);
        assertThat(DigestHeaders.expectedSha256("sha-512=:AAAA:, sha-256=:" + sha + ":;p=1", null)).isEqualTo(hex);
        assertThat(DigestHeaders.expectedSha256("sha-512=:AAAA:", null)).isNull();
        assertThat(DigestHeaders.expectedSha256(null, null)).isNull();
        for (String bad : new String[] {"sha-256=" + sha, "sha-256=:AAAA:", "sha-256=:!!!:", "garbage"}) {
            assertThatThrownBy(() -> DigestHeaders.expectedSha256(bad, null)).as(bad)
                    .isInstanceOf(InvalidParameterException.class);
        }
    }

    @Test
    void singleByteRangesAreServedAndOthersIgnored() {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(new ByteRange(0, 99, false));
        assertThat(ByteRange.parse("bytes=10-19", 100)).isEqualTo(new ByteRange(10, 19, true));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99, true));
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100).partial()).isFalse();
        assertThat(ByteRange.parse("bytes=20-10", 100).partial()).isFalse();
        assertThat(ByteRange.parse("items=0-1", 100).partial()).isFalse();
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(RangeNotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(RangeNotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(RangeNotSatisfiableException.class);
    }
}
