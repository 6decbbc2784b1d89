package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

/** Published (in-process) when a package was sealed, so unfinished uploads to it can be discarded after commit. */
public record PackageSealedEvent(UUID packageId) {
}
