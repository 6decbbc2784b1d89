/** The platform's evidence key: signs sealed manifests; its public half is served so anyone can check a seal. */
package cn.chuanyu.evidence.signing;
