package cn.chuanyu.evidence.evidencepackage;

/** A package in a listing, with how many items and bytes it holds. */
record ListedPackage(EvidencePackage pkg, int itemCount, long totalBytes) {
}
