-- Configured keys were listed with their first six characters, all of a short key: keep three.
UPDATE api_keys SET key_prefix = left(key_prefix, 3) WHERE source = 'config';
