#!/usr/bin/env python3
"""Writes the bad-input corpus (src/test/resources/bad-input-corpus.json) that BadInputCorpusIT replays through
the gateway. Every entry must be refused with a 4xx problem and change nothing. Re-run after adding cases:
    python3 system-tests/corpus/generate.py
Placeholders the test fills in: {transfer} (SC court -> CQ court, SUBMITTED), {accepted} (an ACCEPTED transfer),
{assistance} (SC court -> CQ police, SUBMITTED), {webhook} (CQ police's), {usedKey} (an Idempotency-Key already
used by SC court for a transfer), {big:N} (N bytes of 'x'). bodyBase64: a body of bytes that are not UTF-8."""
import base64
import json
import os

cases = []


def case(name, method, path, body=None, caller="sc-court", expect="4xx", content_type="application/json",
         headers=None, fields=None, body_bytes=None):
    entry = {"name": name, "method": method, "path": path, "caller": caller, "body": body,
             "contentType": content_type if body is not None else None, "headers": headers or {},
             "expect": expect}
    if body_bytes is not None:
        entry["body"] = None
        entry["bodyBase64"] = base64.b64encode(body_bytes).decode("ascii")  # bytes that are not UTF-8
    if fields is not None:
        entry["fields"] = fields  # errors[] must name exactly these fields, in one answer
    cases.append(entry)


TRANSFER = {"caseNumber": "(2026)川01刑初1号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
            "toAgency": "cq-first-intermediate-court", "reason": "被告人户籍地在重庆", "summary": "移送管辖"}
ASSIST = {"type": "PERSON_LOCATE", "toAgency": "cq-yubei-public-security", "subject": "协查下落",
          "details": "被执行人张某"}


def with_field(base, field, value):
    copy = dict(base)
    copy[field] = value
    return json.dumps(copy, ensure_ascii=False)


def without(base, field):
    copy = dict(base)
    copy.pop(field)
    return json.dumps(copy, ensure_ascii=False)


# Malformed and truncated JSON, on every JSON endpoint.
MALFORMED = ["{", "{\"caseNumber\":", "[", "\"just a string\"", "null", "123", "", "{\"a\":1}}", "{'single': 1}",
             "{\"caseNumber\": \"x\",}", "{\"caseNumber\": NaN}", "\u0000", "{\"x\": \"\\ud800\"}",
             json.dumps(TRANSFER, ensure_ascii=False)[:-7]]
JSON_ENDPOINTS = [("POST", "/api/v1/case-transfers"), ("POST", "/api/v1/assistance-requests"),
                  ("POST", "/api/v1/webhooks"), ("POST", "/api/v1/case-transfers/{transfer}/reject"),
                  ("POST", "/api/v1/assistance-requests/{assistance}/decline")]
for method, path in JSON_ENDPOINTS:
    for i, body in enumerate(MALFORMED):
        caller = "cq-court" if "reject" in path else "cq-police" if "decline" in path else "sc-court"
        case(f"malformed #{i} on {path}", method, path, body, caller=caller, expect=400)

# Wrong types for every field of a transfer and of an assistance request.
for field in TRANSFER:
    for label, value in [("number", 42), ("boolean", True), ("array", ["x"]), ("object", {"x": 1}),
                         ("huge number", 1e308)]:
        case(f"transfer.{field} as {label}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, field, value),
             expect=400)
for field in ASSIST:
    for label, value in [("number", 7), ("array", []), ("object", {})]:
        case(f"assistance.{field} as {label}", "POST", "/api/v1/assistance-requests",
             with_field(ASSIST, field, value), expect=400)

# Missing required fields, and blank ones.
for field in ["caseNumber", "title", "caseType", "toAgency", "reason"]:
    case(f"transfer without {field}", "POST", "/api/v1/case-transfers", without(TRANSFER, field), expect=400)
    case(f"transfer with null {field}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, field, None),
         expect=400)
for field in ["caseNumber", "title", "reason"]:
    case(f"transfer with blank {field}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, field, "   "),
         expect=400)
for field in ["type", "toAgency", "subject", "details"]:
    case(f"assistance without {field}", "POST", "/api/v1/assistance-requests", without(ASSIST, field), expect=400)

# Strings past their limits, and absurd numbers.
for field, limit in [("caseNumber", 64), ("title", 200), ("reason", 2000), ("summary", 20000)]:
    case(f"transfer.{field} over {limit}", "POST", "/api/v1/case-transfers",
         with_field(TRANSFER, field, "长" * (limit + 1)), expect=400)
case("assistance.subject over 200", "POST", "/api/v1/assistance-requests", with_field(ASSIST, "subject", "x" * 201),
     expect=400)
case("number with 400 digits as caseType", "POST", "/api/v1/case-transfers",
     json.dumps(TRANSFER, ensure_ascii=False).replace("\"CRIMINAL\"", "9" * 400), expect=400)

# Unknown fields, including ones that try to set server-owned state.
for field, value in [("bogus", 1), ("id", "00000000-0000-0000-0000-000000000000"), ("state", "ACCEPTED"),
                     ("fromAgency", "cq-first-intermediate-court"), ("version", 99), ("__proto__", {"admin": True}),
                     ("constructor", {"prototype": {}}), ("createdAt", "2020-01-01T00:00:00Z")]:
    case(f"transfer with unknown field {field}", "POST", "/api/v1/case-transfers",
         with_field(TRANSFER, field, value), expect=400)
    case(f"assistance with unknown field {field}", "POST", "/api/v1/assistance-requests",
         with_field(ASSIST, field, value), expect=400)
case("duplicate key", "POST", "/api/v1/case-transfers",
     json.dumps(TRANSFER, ensure_ascii=False)[:-1] + ", \"title\": \"again\"}", expect=400)
case("trailing garbage", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER, ensure_ascii=False) + " {}",
     expect=400)

# Invalid enums and dates.
for value in ["criminal", "", "MURDER", "0", "CRIMINAL'; DROP TABLE case_transfer;--"]:
    case(f"caseType {value!r}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "caseType", value),
         expect=400)
for value in ["TELEPATHY", "person_locate", ""]:
    case(f"assistance type {value!r}", "POST", "/api/v1/assistance-requests", with_field(ASSIST, "type", value),
         expect=400)
for value in ["2026-13-45T00:00:00Z", "yesterday", "2026-02-30"]:
    case(f"decisionDueAt {value!r}", "POST", "/api/v1/case-transfers",
         with_field(TRANSFER, "decisionDueAt", value), expect=400)
    case(f"dueAt {value!r}", "POST", "/api/v1/assistance-requests", with_field(ASSIST, "dueAt", value), expect=400)
# Parseable, but no deadline is 100 million years away, nor at the epoch.
for value in ["+99999999-01-01T00:00:00Z", 17, "2099-01-01T00:00:00Z"]:
    case(f"decisionDueAt out of range {value!r}", "POST", "/api/v1/case-transfers",
         with_field(TRANSFER, "decisionDueAt", value), expect=422)
    case(f"dueAt out of range {value!r}", "POST", "/api/v1/assistance-requests", with_field(ASSIST, "dueAt", value),
         expect=422)
case("decisionDueAt in the past", "POST", "/api/v1/case-transfers",
     with_field(TRANSFER, "decisionDueAt", "2020-01-01T00:00:00Z"), expect=422)
case("dueAt in the past", "POST", "/api/v1/assistance-requests", with_field(ASSIST, "dueAt", "2001-09-11T00:00:00Z"),
     expect=422)

# Unicode tricks: control characters, bidi overrides, look-alike agency ids.
for label, value in [("NUL", "a\u0000b"), ("bell", "a\u0007b"), ("escape", "\u001b[31mred"),
                     ("right-to-left override", "abc\u202edcba"), ("isolate", "a\u2066b\u2069"),
                     ("newline", "line1\nline2"), ("C1 control", "a\u0085b")]:
    case(f"title with {label}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "title", value), expect=400)
    case(f"caseNumber with {label}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "caseNumber", value),
         expect=400)
for value in ["ｃｑ-first-intermediate-court", "cq-first-intermediate-court\u200b", "CQ-FIRST-INTERMEDIATE-COURT",
              "cq-first-intermediate-сourt", "cq_first", "-cq", "c"]:
    case(f"toAgency look-alike {value!r}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "toAgency", value),
         expect=400)

# Injection strings where ids, enums and numbers are expected.
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE case_transfer", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
              "../../../../etc/passwd", "%00", "{{7*7}}"]
for value in INJECTIONS:
    case(f"toAgency injection {value!r}", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "toAgency", value),
         expect=400)
    case(f"state filter injection {value!r}", "GET", "/api/v1/case-transfers?state=" + value.replace(" ", "%20")
         .replace("<", "%3C").replace(">", "%3E").replace("{", "%7B").replace("}", "%7D").replace("%00", "%2500")
         .replace("'", "%27").replace(";", "%3B"), expect=400)
for path in ["/api/v1/case-transfers/1%27%20OR%20%271%27=%271", "/api/v1/case-transfers/%3Cscript%3E",
             "/api/v1/assistance-requests/1;DROP", "/api/v1/case-transfers/00000000-0000-0000-0000-00000000000G",
             "/api/v1/webhooks/not-a-uuid/deliveries"]:
    case(f"malformed id in {path}", "GET", path, caller="cq-police", expect=400)

# Path traversal in ids and paths.
for path in ["/api/v1/case-transfers/..%2F..%2Fetc%2Fpasswd", "/api/v1/case-transfers/%2e%2e/%2e%2e/actuator/env",
             "/api/v1/case-transfers/../../actuator/env", "/api/v1/inbox/..;/case-transfers",
             "/api/v1/case-transfers/%252e%252e%252f", "/api/v1/case-transfers/..%5C..%5Cwindows"]:
    case(f"traversal {path}", "GET", path)

# Oversized bodies.
case("transfer body of 300 KB", "POST", "/api/v1/case-transfers",
     with_field(TRANSFER, "summary", "{big:300000}"), expect=413)
case("transfer body of 2 MB", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "summary", "{big:2000000}"),
     expect=413)
case("assistance body of 300 KB", "POST", "/api/v1/assistance-requests",
     with_field(ASSIST, "details", "{big:300000}"), expect=413)

# Wrong content types.
for content_type in ["text/plain", "application/xml", "application/x-www-form-urlencoded",
                     "multipart/form-data; boundary=x", "application/octet-stream"]:
    case(f"transfer sent as {content_type}", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER,
         ensure_ascii=False), content_type=content_type, expect=415)
case("transfer without content type", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER, ensure_ascii=False),
     content_type=None, expect=415)

# Missing, malformed and forged identity.
for label, headers in [("no key", {}), ("empty bearer", {"Authorization": "Bearer "}),
                       ("basic auth", {"Authorization": "Basic YWRtaW46YWRtaW4="}),
                       ("unknown key", {"Authorization": "Bearer cyx_000000000000_" + "A" * 43}),
                       ("key with SQL", {"Authorization": "Bearer ' OR 1=1 --"}),
                       ("huge key", {"Authorization": "Bearer " + "k" * 4000}),
                       ("forged principal only", {"X-Chuanyu-Principal": "Y3kxfGZvcmdlZA.c2ln"}),
                       ("forged user header", {"X-Chuanyu-Agency": "sc-chengdu-intermediate-court"})]:
    for method, path in [("GET", "/api/v1/case-transfers"), ("POST", "/api/v1/case-transfers"),
                         ("GET", "/api/v1/audit/entries"), ("GET", "/api/v1/inbox")]:
        case(f"{label} on {method} {path}", method, path,
             json.dumps(TRANSFER, ensure_ascii=False) if method == "POST" else None, caller="none", headers=headers,
             expect=401)
case("auditor key with forged agency principal", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER,
     ensure_ascii=False), caller="auditor", headers={"X-Chuanyu-Principal": "forged"}, expect=403)
case("agency on the audit verify endpoint", "GET", "/api/v1/audit/verify", caller="sc-court", expect=403)
case("operator submitting a transfer", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER, ensure_ascii=False),
     caller="operator", expect=403)
case("agency on an unknown API", "GET", "/api/v1/secrets", caller="sc-court", expect=404)

# Other agencies' exchanges.
for caller, method, path, body, status in [
        ("cq-police", "GET", "/api/v1/case-transfers/{transfer}", None, 404),
        ("cq-police", "POST", "/api/v1/case-transfers/{transfer}/accept", "{}", 404),
        ("cq-police", "POST", "/api/v1/case-transfers/{transfer}/withdraw", "{\"reason\": \"x\"}", 404),
        ("sc-court", "POST", "/api/v1/case-transfers/{transfer}/accept", "{}", 403),
        ("cq-court", "POST", "/api/v1/case-transfers/{transfer}/withdraw", "{\"reason\": \"x\"}", 403),
        ("cq-court", "GET", "/api/v1/assistance-requests/{assistance}", None, 404),
        ("cq-court", "POST", "/api/v1/assistance-requests/{assistance}/acknowledge", "{}", 404),
        ("sc-court", "POST", "/api/v1/assistance-requests/{assistance}/acknowledge", "{}", 403),
        ("sc-court", "GET", "/api/v1/webhooks/{webhook}/deliveries", None, 404),
        ("sc-court", "DELETE", "/api/v1/webhooks/{webhook}", None, 404)]:
    case(f"{caller} {method} {path}", method, path, body, caller=caller, expect=status)

# Transitions from the wrong state.
for caller, path, body in [("cq-court", "/api/v1/case-transfers/{accepted}/accept", "{}"),
                           ("cq-court", "/api/v1/case-transfers/{accepted}/reject", "{\"reason\": \"x\"}"),
                           ("sc-court", "/api/v1/case-transfers/{accepted}/withdraw", "{\"reason\": \"x\"}"),
                           ("cq-police", "/api/v1/assistance-requests/{assistance}/complete", "{\"result\": \"x\"}")]:
    case(f"wrong state: {path}", "POST", path, body, caller=caller, expect=409)
case("stale If-Match", "POST", "/api/v1/case-transfers/{transfer}/reject", "{\"reason\": \"x\"}", caller="cq-court",
     headers={"If-Match": "\"41\""}, expect=412)
case("garbage If-Match", "POST", "/api/v1/case-transfers/{transfer}/reject", "{\"reason\": \"x\"}",
     caller="cq-court", headers={"If-Match": "<<<>>>"}, expect=412)

# Idempotency keys: reused with another body, malformed.
case("used key, other body", "POST", "/api/v1/case-transfers", with_field(TRANSFER, "title", "another"),
     headers={"Idempotency-Key": "{usedKey}"}, expect=422)
case("idempotency key too long", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER, ensure_ascii=False),
     headers={"Idempotency-Key": "k" * 129}, expect=400)
case("idempotency key with spaces", "POST", "/api/v1/case-transfers", json.dumps(TRANSFER, ensure_ascii=False),
     headers={"Idempotency-Key": "a b c"}, expect=400)

# Query parameters.
for query in ["limit=0", "limit=-1", "limit=100000", "limit=abc", "limit=1e3", "cursor=%25%25%25", "cursor=AAAA",
              "direction=sideways", "caseType=MURDER"]:
    case(f"transfer list ?{query}", "GET", "/api/v1/case-transfers?" + query, expect=400)
for query in ["after=-1", "after=abc", "limit=0", "limit=501", "after=99999999999999999999999"]:
    case(f"inbox ?{query}", "GET", "/api/v1/inbox?" + query, expect=400)
for query in ["limit=0", "limit=100000", "cursor=abc", "cursor=-5"]:
    case(f"audit entries ?{query}", "GET", "/api/v1/audit/entries?" + query, caller="auditor", expect=400)

# Unknown query parameters: a 400 naming every one of them, on every service's API (the inbox pages with after,
# not cursor), before anything is done (a POST with an unknown parameter writes nothing).
for caller, path, fields in [
        ("sc-court", "/api/v1/inbox?cursor=30", ["cursor"]),
        ("sc-court", "/api/v1/inbox?after=0&cursor=30&page=2", ["cursor", "page"]),
        ("sc-court", "/api/v1/case-transfers?page=2&sort=asc", ["page", "sort"]),
        ("sc-court", "/api/v1/case-transfers/{transfer}?verbose=true", ["verbose"]),
        ("cq-police", "/api/v1/assistance-requests?offset=10", ["offset"]),
        ("cq-police", "/api/v1/webhooks/{webhook}/deliveries?since=2026-01-01", ["since"]),
        ("sc-court", "/api/v1/evidence-packages?order=asc", ["order"]),
        ("auditor", "/api/v1/audit/entries?offset=10&seq=3", ["offset", "seq"]),
        ("auditor", "/api/v1/audit/tree-head?pretty=1", ["pretty"]),
        ("operator", "/api/v1/ops/exchanges?offset=20", ["offset"]),
        ("operator", "/api/v1/ops/webhook-deliveries?page=2", ["page"]),
        ("operator", "/api/v1/ops/dead-letters?page=2", ["page"]),
        ("operator", "/api/v1/admin/agencies?page=2", ["page"])]:
    case(f"unknown query parameter {path}", "GET", path, caller=caller, expect=400, fields=fields)
case("unknown query parameter on a valid POST", "POST", "/api/v1/case-transfers?dryRun=true",
     json.dumps(TRANSFER, ensure_ascii=False), expect=400, fields=["dryRun"])
case("unknown query parameter on an action", "POST", "/api/v1/case-transfers/{transfer}/reject?force=1",
     "{\"reason\": \"x\"}", caller="cq-court", expect=400, fields=["force"])

# Paging: every list takes limit (1 to 500) and an opaque cursor; a bare number is not a cursor.
for caller, path in [("operator", "/api/v1/ops/exchanges"), ("operator", "/api/v1/ops/webhook-deliveries"),
                     ("operator", "/api/v1/ops/dead-letters"), ("auditor", "/api/v1/audit/entries"),
                     ("cq-police", "/api/v1/webhooks"), ("sc-court", "/api/v1/evidence-packages"),
                     ("operator", "/api/v1/admin/agencies")]:
    for query, field in [("limit=501", "limit"), ("limit=0", "limit"), ("cursor=30", "cursor")]:
        case(f"list {path}?{query}", "GET", f"{path}?{query}", caller=caller, expect=400, fields=[field])

# Invalid percent-encoded UTF-8, broken escapes and control characters in a query string: a 400 naming the
# parameter (or the whole query string when the name itself is unreadable), on every list endpoint; never Tomcat's
# 500. Each list's paging parameter: cursor, or the inbox's after; the audit proofs page by seq and from.
PACKAGE = "00000000-0000-4000-8000-000000000000"  # no such package: the query is refused before it is looked up
for caller, path, paging in [
        ("sc-court", "/api/v1/case-transfers", "cursor"), ("cq-police", "/api/v1/assistance-requests", "cursor"),
        ("sc-court", "/api/v1/inbox", "after"), ("cq-police", "/api/v1/webhooks", "cursor"),
        ("cq-police", "/api/v1/webhooks/{webhook}/deliveries", "cursor"),
        ("sc-court", "/api/v1/evidence-packages", "cursor"),
        ("sc-court", f"/api/v1/evidence-packages/{PACKAGE}/custody", "cursor"),
        ("auditor", "/api/v1/audit/entries", "cursor"), ("auditor", "/api/v1/audit/tree-head", "fresh"),
        ("auditor", "/api/v1/audit/checkpoint", "fresh"), ("auditor", "/api/v1/audit/proofs/inclusion", "seq"),
        ("auditor", "/api/v1/audit/proofs/consistency", "from"),
        ("operator", "/api/v1/ops/exchanges", "cursor"), ("operator", "/api/v1/ops/webhook-deliveries", "cursor"),
        ("operator", "/api/v1/ops/dead-letters", "cursor"), ("operator", "/api/v1/admin/agencies", "cursor")]:
    for query, field in [(f"{paging}=%00%ff", paging), (f"{paging}=%c0%ae", paging), (f"{paging}=%e7%8e", paging),
                         (f"{paging}=1%0d%0aforged", paging), ("limit=%ff", "limit"),
                         ("direction=%ff", "direction"), ("foo=%ff", "foo"), ("%ff=1", "query string")]:
        case(f"invalid encoding {path}?{query}", "GET", f"{path}?{query}", caller=caller, expect=400,
             fields=[field])

# Invalid encodings and control characters in path segments: a 4xx problem, never an HTML error page. (A broken
# escape such as %zz cannot be sent: Java's HTTP client refuses the URI; QueryStringsTest covers it.)
for segment in ["%00", "%c0%ae", "%c0%af", "%ff", "%e7%8e", "a%0d%0aX-Forged:%201", "%7f"]:
    for caller, base in [("sc-court", "/api/v1/case-transfers/"), ("sc-court", "/api/v1/evidence-packages/"),
                         ("auditor", "/api/v1/audit/entries/"), ("operator", "/api/v1/admin/agencies/")]:
        case(f"invalid path segment {base}{segment}", "GET", base + segment, caller=caller)

# One 400 names every problem of a body: bad enum values (with the allowed values), unknown fields, wrong types
# and each missing required field, together.
case("transfer with many problems", "POST", "/api/v1/case-transfers",
     "{\"caseNumber\":\"X1\",\"caseType\":\"MURDER\",\"bogus\":1}", expect=400,
     fields=["caseType", "bogus", "title", "toAgency", "reason"])
case("transfer with a wrong type and bad text", "POST", "/api/v1/case-transfers",
     json.dumps({"caseNumber": "a\u0007b", "title": 42, "caseType": "CIVIL", "toAgency": "../etc", "reason": "r",
                 "decisionDueAt": "yesterday"}, ensure_ascii=False), expect=400,
     fields=["caseNumber", "title", "toAgency", "decisionDueAt"])
case("assistance with many problems", "POST", "/api/v1/assistance-requests",
     "{\"type\":\"TELEPATHY\",\"caseTransferId\":\"nope\",\"bogus\":true}", expect=400,
     fields=["type", "caseTransferId", "bogus", "toAgency", "subject", "details"])
case("reject with many problems", "POST", "/api/v1/case-transfers/{transfer}/reject",
     "{\"reason\":\" \",\"note\":\"x\"}", caller="cq-court", expect=400, fields=["reason", "note"])
case("complete with many problems", "POST", "/api/v1/assistance-requests/{assistance}/complete",
     "{\"evidencePackageId\":\"x\",\"extra\":[]}", caller="cq-police", expect=400,
     fields=["evidencePackageId", "extra", "result"])
case("webhook with many problems", "POST", "/api/v1/webhooks", "{\"url\":1,\"secret\":\"mine\"}",
     caller="cq-police", expect=400, fields=["url", "secret"])
case("evidence package with many problems", "POST", "/api/v1/evidence-packages",
     "{\"title\":7,\"toAgency\":\"CQ\",\"caseTransferId\":\"x\",\"priority\":\"high\"}", expect=400,
     fields=["title", "toAgency", "caseTransferId", "priority"])
case("bulk replay with many problems", "POST", "/api/v1/ops/dead-letters/replay",
     "{\"ids\":\"one\",\"queu\":\"x\"}", caller="operator", expect=400, fields=["ids", "queu"])
case("agency registration with many problems", "POST", "/api/v1/admin/agencies",
     "{\"id\":\"Not A Slug\",\"region\":\"BJ\",\"kind\":\"COURT\",\"bogus\":1}", caller="operator",
     expect=400, fields=["id", "region", "bogus", "name"])

# Methods an endpoint does not have.
for method, path in [("PUT", "/api/v1/case-transfers/{transfer}"), ("DELETE", "/api/v1/case-transfers/{transfer}"),
                     ("PATCH", "/api/v1/case-transfers/{transfer}"), ("PUT", "/api/v1/inbox"),
                     ("DELETE", "/api/v1/assistance-requests/{assistance}")]:
    case(f"{method} {path}", method, path, "{}" if method != "DELETE" else None, caller="cq-court", expect=405)

# Evidence, operations and admin endpoints: malformed bodies, unknown ids, callers without the role.
EVIDENCE = {"title": "证据包", "toAgency": "cq-first-intermediate-court"}
UNKNOWN = "00000000-0000-4000-8000-0000000000ff"
for i, body in enumerate(MALFORMED):
    case(f"malformed #{i} on evidence packages", "POST", "/api/v1/evidence-packages", body, expect=400)
    case(f"malformed #{i} on bulk replay", "POST", "/api/v1/ops/dead-letters/replay", body, caller="operator",
         expect=400)
    case(f"malformed #{i} on agency registration", "POST", "/api/v1/admin/agencies", body, caller="operator")
for field in EVIDENCE:
    for label, value in [("number", 7), ("array", []), ("object", {})]:
        case(f"evidence.{field} as {label}", "POST", "/api/v1/evidence-packages",
             with_field(EVIDENCE, field, value), expect=400)
    case(f"evidence package without {field}", "POST", "/api/v1/evidence-packages", without(EVIDENCE, field),
         expect=400)
for caller, method, path, body, status in [
        ("sc-court", "GET", f"/api/v1/evidence-packages/{UNKNOWN}", None, 404),
        ("sc-court", "POST", f"/api/v1/evidence-packages/{UNKNOWN}/seal", "{}", 404),
        ("cq-court", "POST", f"/api/v1/evidence-packages/{UNKNOWN}/receipt", "{}", 404),
        ("sc-court", "GET", f"/api/v1/evidence-packages/{UNKNOWN}/manifest", None, 404),
        ("sc-court", "GET", f"/api/v1/evidence-packages/{UNKNOWN}/items/a.pdf", None, 404),
        ("sc-court", "GET", "/api/v1/evidence-packages/not-a-uuid", None, 400),
        ("operator", "POST", f"/api/v1/ops/dead-letters/{UNKNOWN}/replay", "{}", 404),
        ("operator", "GET", f"/api/v1/ops/dead-letters/{UNKNOWN}", None, 404),
        ("operator", "POST", "/api/v1/ops/dead-letters/not-a-uuid/replay", "{}", 404),  # ids are opaque
        ("operator", "DELETE", f"/api/v1/ops/dead-letters/{UNKNOWN}", None, 400),  # no reason: refused first
        ("operator", "POST", "/api/v1/ops/dead-letters/replay", "{}", 422),
        ("sc-court", "GET", "/api/v1/ops/dead-letters", None, 403),
        ("auditor", "POST", "/api/v1/ops/dead-letters/replay", "{\"type\": \"x\"}", 403),
        ("sc-court", "POST", "/api/v1/ops/dead-letters/replay", "{\"type\": \"x\"}", 403),
        ("sc-court", "GET", "/api/v1/ops/exchanges", None, 403),
        ("sc-court", "GET", "/api/v1/admin/agencies", None, 403),
        ("auditor", "POST", "/api/v1/admin/agencies", "{\"id\": \"x-court\", \"name\": \"x\", "
                                                        "\"region\": \"SC\", \"kind\": \"COURT\"}", 403),
        ("sc-court", "POST", "/api/v1/admin/agencies/sc-chengdu-intermediate-court/suspend", "{}", 403),
        ("operator", "POST", "/api/v1/admin/agencies/no-such-agency/suspend", "{\"reason\": \"audit\"}", 404),
        ("operator", "POST", "/api/v1/admin/agencies/no-such-agency/keys", "{}", 404),
        ("operator", "DELETE", "/api/v1/admin/agencies/sc-chengdu-intermediate-court/keys/no-such-key", None,
         "4xx")]:
    case(f"{caller} {method} {path}", method, path, body, caller=caller, expect=status)
for method, path in [("GET", "/api/v1/evidence-packages"), ("POST", "/api/v1/evidence-packages"),
                     ("GET", "/api/v1/ops/dead-letters"), ("GET", "/api/v1/admin/agencies")]:
    case(f"no key on {method} {path}", method, path,
         json.dumps(EVIDENCE, ensure_ascii=False) if method == "POST" else None, caller="none", expect=401)

# Bodies that are not UTF-8 (sent as bytes): truncated and overlong sequences, an encoded surrogate, Latin-1, a
# UTF-16 body with its BOM. Refused as malformed, never stored as replacement characters.
BAD_BYTES = {
    "truncated sequence": b'{"title": "\xe8\xaf", "toAgency": "cq-first-intermediate-court"}',
    "overlong slash": b'{"title": "\xc0\xaf", "toAgency": "cq-first-intermediate-court"}',
    "encoded surrogate": b'{"title": "\xed\xa0\x80", "toAgency": "cq-first-intermediate-court"}',
    "latin-1": '{"title": "caf\u00e9", "toAgency": "cq-first-intermediate-court"}'.encode("latin-1"),
    "utf-16 with BOM": '{"title": "x", "toAgency": "cq-first-intermediate-court"}'.encode("utf-16"),
    "0xff byte": b'{"title": "\xff", "toAgency": "cq-first-intermediate-court"}',
}
for label, raw in BAD_BYTES.items():
    for caller, path in [("sc-court", "/api/v1/evidence-packages"), ("sc-court", "/api/v1/case-transfers"),
                         ("cq-police", "/api/v1/webhooks"), ("operator", "/api/v1/ops/dead-letters/replay"),
                         ("operator", "/api/v1/admin/agencies")]:
        case(f"{label} body on {path}", "POST", path, "", caller=caller, expect=400, body_bytes=raw)

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "src", "test", "resources", "bad-input-corpus.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(cases)} cases written to {os.path.relpath(out)}")
