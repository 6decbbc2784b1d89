package cn.chuanyu.kit.note;

import java.nio.file.Path;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.keys.KeyFiles;

/**
 * Note signers from key files: the Ed25519 key in the given file and, while the SM2 suite is on
 * ({@code chuanyu.crypto.sm2.enabled}), the SM2 key beside it ({@link Sm2Keys#fileBeside}), both made on first start.
 * Every caller of {@link NoteSigner#sign} then gets both signature lines without knowing about SM2.
 */
public final class NoteSigners {

    private NoteSigners() {
    }

    public static NoteSigner load(String name, Path ed25519KeyFile, CryptoProperties crypto) {
        NoteSigner signer = new NoteSigner(name, KeyFiles.ed25519(ed25519KeyFile));
        return crypto.sm2Enabled() ? signer.withSm2(Sm2Keys.keyFile(Sm2Keys.fileBeside(ed25519KeyFile))) : signer;
    }
}
