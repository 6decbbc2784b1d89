package cn.chuanyu.audit.bundle;

import java.util.List;

/**
 * The configured witnesses' verifier keys ({@code <name>+<hex id>+<base64(0x04 || key)>}), shown in a bundle for
 * information. The witness feature provides the bean; without one the bundle lists none.
 */
public interface WitnessKeys {

    List<String> verifierKeys();
}
