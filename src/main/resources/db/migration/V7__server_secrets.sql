-- Secrets the replicas share, created once by whichever starts first (e.g. the key that signs page tokens).
CREATE TABLE server_secrets (
    name        VARCHAR(64)  PRIMARY KEY,
    secret      BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
