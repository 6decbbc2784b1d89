-- A response marked Cache-Control: no-store (it holds a secret) is kept without its body: a replay must not show
-- the secret again. Its status and Location still answer the replay.
alter table idempotency_record add column body_withheld boolean not null default false;
