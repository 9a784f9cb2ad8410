-- Token buckets shared by all replicas: each replica reports what it spent and adopts the result.
-- key_id is the SHA-256 (hex) of an API key, or "address:<ip>" for requests without a key.
CREATE TABLE rate_limit_buckets (
    key_id      TEXT PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    capacity    DOUBLE PRECISION NOT NULL,
    per_second  DOUBLE PRECISION NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX rate_limit_buckets_updated_at ON rate_limit_buckets (updated_at);
