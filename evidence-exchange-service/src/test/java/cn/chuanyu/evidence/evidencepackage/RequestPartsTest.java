package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.kit.web.InvalidParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File names, digest headers and byte ranges as they arrive in requests. */
class RequestPartsTest {

    @Test
    void fileNamesArePercentDecodedAsUtf8AndChecked() {
        assertThat(FileNames.percentDecode("%E9%89%B4%E5%AE%9A%20a;b+c.pdf")).isEqualTo("鉴定 a;b+c.pdf");
        assertThat(FileNames.validate("x".repeat(255))).hasSize(255);
        for (String bad : new String[] {"", ".", "..", "a..b", "a/b", "a\\b", "a\u0000b", "a\u007fb", "a\u0085b",
                "\u202Etxt.exe", "x".repeat(256), "鉴".repeat(86)}) {
            assertThatThrownBy(() -> FileNames.validate(bad)).as(bad).isInstanceOf(InvalidParameterException.class)
                    .extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("fileName");
        }
        assertThatThrownBy(() -> FileNames.percentDecode("%C3%28")).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> FileNames.percentDecode("%4")).isInstanceOf(InvalidParameterException.class);
        assertThat(FileNames.encode("鉴定 a;b.pdf")).isEqualTo("%E9%89%B4%E5%AE%9A%20a%3Bb.pdf");
    }

    @Test
    void reprDigestIsAnRfc9530Dictionary() {
        String sha = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        String hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(DigestHeaders.parse("Repr-Digest", "sha-256=:" + sha + ":")).isEqualTo(hex);
        assertThat(DigestHeaders.parse("Repr-Digest", "sha-512=:AAAA:, sha-256=:" + sha + ":;p=1")).isEqualTo(hex);
        assertThat(DigestHeaders.parse("Repr-Digest", "sha-512=:AAAA:")).isNull();
        assertThat(DigestHeaders.parse("Repr-Digest", null)).isNull();
        for (String bad : new String[] {"sha-256=" + sha, "sha-256=:AAAA:", "sha-256=:!!!:", "garbage"}) {
            assertThatThrownBy(() -> DigestHeaders.parse("Repr-Digest", bad)).as(bad)
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
