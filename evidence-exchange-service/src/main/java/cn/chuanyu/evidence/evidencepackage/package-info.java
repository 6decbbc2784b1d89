/**
 * Evidence packages (证据包): a sender fills an OPEN package with files, seals it (a signed manifest freezes it),
 * and the recipient downloads and verifies what was sealed. Access: a third agency never learns a package exists;
 * the recipient sees it only once SEALED; each party is refused (403) the other's actions.
 */
package cn.chuanyu.evidence.evidencepackage;
