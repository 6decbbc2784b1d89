package cn.chuanyu.audit.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import cn.chuanyu.kit.identity.ServiceIdentity;
import feign.FeignException;
import feign.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What a bundle adds from the services that hold it: the sealed manifest (evidence-exchange-service) and the
 * delivery evidences (the service of the exchange's kind). Best effort by design: the bundle's proof is the audit
 * log's, so a service that is down, refuses, or does not have the endpoint yet costs the bundle that part only,
 * and each such gap is named in {@code omissions}. One attempt each, with the short timeouts of application.yml.
 */
@Component
class ExchangeDocuments {

    private static final Logger log = LoggerFactory.getLogger(ExchangeDocuments.class);

    /** Where an exchange's delivery evidences live, by the prefix of its entries' types. */
    enum Kind {
        CASE_TRANSFER("case-transfer."),
        ASSISTANCE_REQUEST("assistance."),
        EVIDENCE_PACKAGE("evidence.");

        final String typePrefix;

        Kind(String typePrefix) {
            this.typePrefix = typePrefix;
        }

        static Optional<Kind> ofType(String type) {
            for (Kind kind : values()) {
                if (type != null && type.startsWith(kind.typePrefix)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    private final ExchangeServiceClients.EvidenceService evidence;
    private final ExchangeServiceClients.CaseTransferService caseTransfers;
    private final ObjectProvider<ServiceIdentity> identity;

    ExchangeDocuments(ExchangeServiceClients.EvidenceService evidence,
            ExchangeServiceClients.CaseTransferService caseTransfers, ObjectProvider<ServiceIdentity> identity) {
        this.evidence = evidence;
        this.caseTransfers = caseTransfers;
        this.identity = identity;
    }

    /** The sealed manifest of package {@code packageId}, or empty with the reason added to {@code omissions}. */
    Optional<JsonNode> manifest(String packageId, List<String> omissions) {
        return fetch("the sealed evidence manifest", "evidence-exchange-service", () -> evidence.manifest(packageId),
                omissions);
    }

    /** The exchange's delivery evidences; empty (reason in {@code omissions}) when they could not be fetched. */
    List<JsonNode> deliveryEvidences(Kind kind, String exchangeId, List<String> omissions) {
        Supplier<JsonNode> call = switch (kind) {
            case CASE_TRANSFER -> () -> caseTransfers.caseTransferEvidences(exchangeId);
            case ASSISTANCE_REQUEST -> () -> caseTransfers.assistanceEvidences(exchangeId);
            case EVIDENCE_PACKAGE -> () -> evidence.evidences(exchangeId);
        };
        String service = kind == Kind.EVIDENCE_PACKAGE ? "evidence-exchange-service" : "case-transfer-service";
        Optional<JsonNode> answer = fetch("the delivery evidences", service, call, omissions);
        List<JsonNode> out = new ArrayList<>();
        answer.ifPresent(body -> {
            // A bare array, or a page ({"items": [...]}), whichever the endpoint settles on.
            JsonNode items = body.isArray() ? body : body.path("items");
            items.forEach(out::add);
        });
        return out;
    }

    private Optional<JsonNode> fetch(String what, String service, Supplier<JsonNode> call, List<String> omissions) {
        if (identity.getIfAvailable() == null) {
            omissions.add(what + ": audit-service has no service identity (chuanyu.identity.service-key-file) to "
                    + "call " + service + " with");
            return Optional.empty();
        }
        try {
            JsonNode body = call.get();
            if (body == null || body.isNull() || body.isMissingNode()) {
                omissions.add(what + ": " + service + " answered with no body");
                return Optional.empty();
            }
            return Optional.of(body);
        }
        catch (RetryableException ex) {
            log.warn("bundle: {} from {} failed: {}", what, service, ex.getMessage());
            omissions.add(what + ": " + service + " did not answer");
        }
        catch (FeignException ex) {
            log.info("bundle: {} from {} answered {}", what, service, ex.status());
            omissions.add(what + ": " + service + " answered " + ex.status() + (ex.status() == 403
                    ? " (it shows them to the exchange's parties only)"
                    : ex.status() == 404 ? " (none there, or it does not serve them yet)" : ""));
        }
        catch (RuntimeException ex) {
            log.warn("bundle: {} from {} failed", what, service, ex);
            omissions.add(what + ": " + service + " could not be read (" + ex.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }
}
