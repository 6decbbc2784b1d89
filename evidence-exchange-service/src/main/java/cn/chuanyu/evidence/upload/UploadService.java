package cn.chuanyu.evidence.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.evidence.EvidenceProperties;
import cn.chuanyu.evidence.evidencepackage.PackageSealedEvent;
import cn.chuanyu.evidence.evidencepackage.PackageService;
import cn.chuanyu.evidence.storage.ContentTooLargeException;
import cn.chuanyu.evidence.storage.DigestMismatchException;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.evidence.storage.StoredObject;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Resumable uploads: the bytes received so far are a partial object in the store (its length is the offset); the
 * row here says which item they will become. Completing one checks the digest over the whole file and adds the
 * item exactly as a single PUT would.
 */
@Service
class UploadService {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    private final UploadRepository uploads;
    private final PackageService packages;
    private final EvidenceStore store;
    private final EvidenceProperties properties;
    private final Clock clock;

    UploadService(UploadRepository uploads, PackageService packages, EvidenceStore store,
            EvidenceProperties properties, Clock clock) {
        this.uploads = uploads;
        this.packages = packages;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    long maxSize() {
        return properties.maxItemBytes();
    }

    Upload create(UUID packageId, Caller caller, String fileName, long length, String contentType,
            String expectedSha256) throws IOException {
        packages.requireOpenForSender(packageId, caller);
        if (length > properties.maxItemBytes()) {
            throw new ContentTooLargeException("Upload-Length " + length + " is over the item limit of "
                    + properties.maxItemBytes() + " bytes", properties.maxItemBytes());
        }
        Upload upload = new Upload(UUID.randomUUID(), packageId, fileName, length, contentType, expectedSha256,
                caller.id(), clock.instant().truncatedTo(ChronoUnit.MICROS), null, null);
        store.createPartial(upload.id());
        try {
            uploads.insert(upload);
        }
        catch (RuntimeException ex) {
            store.deletePartial(upload.id());
            throw ex;
        }
        log.info("upload {} of '{}' ({} bytes) into package {} started by {}", upload.id(), fileName, length,
                packageId, caller.id());
        return upload;
    }

    /** The upload and how many of its bytes are held; 404 unless the caller may add items to the package. */
    record Status(Upload upload, long offset) {
    }

    Status status(UUID packageId, UUID uploadId, Caller caller) {
        Upload upload = find(packageId, uploadId, caller);
        long offset = upload.completed() ? upload.length() : Math.max(0, store.partialLength(uploadId));
        return new Status(upload, offset);
    }

    /** Appends a PATCH body; when the last byte arrived, completes the upload into an item. */
    Status append(UUID packageId, UUID uploadId, Caller caller, long offset, InputStream body) throws IOException {
        Upload upload = find(packageId, uploadId, caller);
        if (upload.completed()) {
            if (offset == upload.length()) {
                return new Status(upload, offset);
            }
            throw new StateConflictException("the upload is complete", "COMPLETE");
        }
        packages.requireOpenForSender(packageId, caller);
        long length;
        try {
            length = store.appendPartial(uploadId, offset, body, upload.length() - offset);
        }
        catch (IllegalStateException ex) {
            // The partial went away under us: the package was sealed (or the upload terminated) meanwhile.
            packages.requireOpenForSender(packageId, caller);
            throw new NotFoundException("upload " + uploadId + " was terminated");
        }
        if (length < upload.length()) {
            return new Status(upload, length);
        }
        return new Status(complete(upload, caller), length);
    }

    private Upload complete(Upload upload, Caller caller) throws IOException {
        StoredObject stored;
        try {
            stored = store.completePartial(upload.id(), upload.expectedSha256());
        }
        catch (DigestMismatchException ex) {
            uploads.delete(upload.id());
            log.warn("upload {} of '{}' discarded: {}", upload.id(), upload.fileName(), ex.getMessage());
            throw ex;
        }
        catch (NoSuchFileException ex) {
            packages.requireOpenForSender(upload.packageId(), caller);
            throw new NotFoundException("upload " + upload.id() + " was terminated");
        }
        try {
            packages.addStoredItem(upload.packageId(), caller, upload.fileName(), upload.contentType(), stored, "TUS");
        }
        catch (RuntimeException ex) {
            uploads.delete(upload.id());
            throw ex;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        uploads.complete(upload.id(), now, stored.sha256());
        log.info("upload {} complete: '{}' {} bytes sha256 {}", upload.id(), upload.fileName(), stored.size(),
                stored.sha256());
        return new Upload(upload.id(), upload.packageId(), upload.fileName(), upload.length(), upload.contentType(),
                upload.expectedSha256(), upload.createdBy(), upload.createdAt(), now, stored.sha256());
    }

    void terminate(UUID packageId, UUID uploadId, Caller caller) {
        Upload upload = find(packageId, uploadId, caller);
        uploads.delete(upload.id());
        store.deletePartial(upload.id());
    }

    /** Sealing freezes the package: uploads still in flight can never become items, so their bytes go. */
    @EventListener
    void onSealed(PackageSealedEvent sealed) {
        List<UUID> unfinished = uploads.deleteUnfinished(sealed.packageId());
        if (unfinished.isEmpty()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                unfinished.forEach(store::deletePartial);
                log.info("discarded {} unfinished upload(s) of sealed package {}", unfinished.size(),
                        sealed.packageId());
            }
        });
    }

    private Upload find(UUID packageId, UUID uploadId, Caller caller) {
        // Same visibility as the package: only its sender ever sees its uploads.
        packages.requireVisibleToSender(packageId, caller);
        return uploads.find(packageId, uploadId)
                .orElseThrow(() -> new NotFoundException("no upload " + uploadId + " in package " + packageId));
    }
}
