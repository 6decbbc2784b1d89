-- The SM2/SM3 suite beside Ed25519/SHA-256 (issue 16). Items stored before it keep a null sm3 (not recomputed);
-- seals made while the suite was off keep null SM2 columns. Numbered 9 to leave 4-8 to concurrent work.
alter table evidence_item add column sm3 text;
alter table evidence_package
    add column signature_sm2          text,
    add column signing_public_key_sm2 text;
