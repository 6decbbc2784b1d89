package cn.chuanyu.kit.note;

import java.security.KeyPairGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoteVerifierTest {

    private final NoteSigner signer = new NoteSigner("sc.example", generate());
    private final NoteSigner other = new NoteSigner("sc.example", generate());

    private static java.security.KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void acceptsItsOwnSignatureAndIgnoresOthers() {
        String note = signer.sign("hello\nworld\n");
        String twoSigned = note + other.sign("hello\nworld\n").substring("hello\nworld\n\n".length());
        NoteVerifier verifier = NoteVerifier.of(signer.verifierKey());
        assertThat(verifier.verify(note)).isEqualTo("hello\nworld\n");
        assertThat(verifier.verify(twoSigned)).isEqualTo("hello\nworld\n");
    }

    @Test
    void refusesAChangedTextAnotherKeyAndAMalformedKey() {
        String note = signer.sign("hello\n");
        NoteVerifier verifier = NoteVerifier.of(signer.verifierKey());
        assertThatThrownBy(() -> verifier.verify(note.replace("hello", "hellO")))
                .isInstanceOf(NoteVerifier.InvalidNoteException.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> NoteVerifier.of(other.verifierKey()).verify(note))
                .isInstanceOf(NoteVerifier.InvalidNoteException.class).hasMessageContaining("no signature");
        String tampered = signer.verifierKey().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        assertThatThrownBy(() -> NoteVerifier.of(tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> verifier.verify("no blank line\n")).isInstanceOf(NoteVerifier.InvalidNoteException.class);
    }
}
