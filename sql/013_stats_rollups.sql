-- Traffic rolled up per minute and per hour as the trace writer stores traces, in the same transaction, so that the
-- statistics read a few thousand rows instead of every trace of the period (docs/architecture.md, "Statistics").
-- Five breakdowns, each answering the questions that filter or group by its columns: a cross product of every
-- dimension alone would hold nearly a row per trace when traffic per key and model is thin.
CREATE TABLE stats_minute (
    -- 0: every request; 1: per user and gateway key; 2: per provider key; 3: per model; 4: per user, gateway key,
    -- provider key and model. The columns outside the breakdown hold 0 or ''.
    breakdown INTEGER NOT NULL,
    -- the first millisecond of the minute or hour (UTC)
    bucket_start BIGINT NOT NULL,
    -- 0 (or '') when the request failed before it was known
    user_id BIGINT NOT NULL,
    gateway_key_id BIGINT NOT NULL,
    provider_key_id BIGINT NOT NULL,
    model TEXT NOT NULL,
    -- '' on success
    error_kind TEXT NOT NULL,
    requests BIGINT NOT NULL,
    successes BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    cache_read_tokens BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_micros BIGINT NOT NULL,
    duration_ms_sum BIGINT NOT NULL,
    ttfb_count BIGINT NOT NULL,
    duration_ms_max BIGINT NOT NULL,
    ttfb_ms_max BIGINT NOT NULL,
    -- latency histograms, cumulative: requests whose duration (streams whose time to first byte) was at most N ms
    duration_le_5 BIGINT NOT NULL,
    duration_le_10 BIGINT NOT NULL,
    duration_le_25 BIGINT NOT NULL,
    duration_le_50 BIGINT NOT NULL,
    duration_le_75 BIGINT NOT NULL,
    duration_le_100 BIGINT NOT NULL,
    duration_le_150 BIGINT NOT NULL,
    duration_le_200 BIGINT NOT NULL,
    duration_le_300 BIGINT NOT NULL,
    duration_le_400 BIGINT NOT NULL,
    duration_le_500 BIGINT NOT NULL,
    duration_le_750 BIGINT NOT NULL,
    duration_le_1000 BIGINT NOT NULL,
    duration_le_1500 BIGINT NOT NULL,
    duration_le_2000 BIGINT NOT NULL,
    duration_le_3000 BIGINT NOT NULL,
    duration_le_4000 BIGINT NOT NULL,
    duration_le_5000 BIGINT NOT NULL,
    duration_le_7500 BIGINT NOT NULL,
    duration_le_10000 BIGINT NOT NULL,
    duration_le_15000 BIGINT NOT NULL,
    duration_le_20000 BIGINT NOT NULL,
    duration_le_30000 BIGINT NOT NULL,
    duration_le_45000 BIGINT NOT NULL,
    duration_le_60000 BIGINT NOT NULL,
    duration_le_120000 BIGINT NOT NULL,
    duration_le_300000 BIGINT NOT NULL,
    ttfb_le_5 BIGINT NOT NULL,
    ttfb_le_10 BIGINT NOT NULL,
    ttfb_le_25 BIGINT NOT NULL,
    ttfb_le_50 BIGINT NOT NULL,
    ttfb_le_75 BIGINT NOT NULL,
    ttfb_le_100 BIGINT NOT NULL,
    ttfb_le_150 BIGINT NOT NULL,
    ttfb_le_200 BIGINT NOT NULL,
    ttfb_le_300 BIGINT NOT NULL,
    ttfb_le_400 BIGINT NOT NULL,
    ttfb_le_500 BIGINT NOT NULL,
    ttfb_le_750 BIGINT NOT NULL,
    ttfb_le_1000 BIGINT NOT NULL,
    ttfb_le_1500 BIGINT NOT NULL,
    ttfb_le_2000 BIGINT NOT NULL,
    ttfb_le_3000 BIGINT NOT NULL,
    ttfb_le_4000 BIGINT NOT NULL,
    ttfb_le_5000 BIGINT NOT NULL,
    ttfb_le_7500 BIGINT NOT NULL,
    ttfb_le_10000 BIGINT NOT NULL,
    ttfb_le_15000 BIGINT NOT NULL,
    ttfb_le_20000 BIGINT NOT NULL,
    ttfb_le_30000 BIGINT NOT NULL,
    ttfb_le_45000 BIGINT NOT NULL,
    ttfb_le_60000 BIGINT NOT NULL,
    ttfb_le_120000 BIGINT NOT NULL,
    ttfb_le_300000 BIGINT NOT NULL,
    PRIMARY KEY (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind)
){{WITHOUT_ROWID}};
CREATE TABLE stats_hour (
    -- 0: every request; 1: per user and gateway key; 2: per provider key; 3: per model; 4: per user, gateway key,
    -- provider key and model. The columns outside the breakdown hold 0 or ''.
    breakdown INTEGER NOT NULL,
    -- the first millisecond of the minute or hour (UTC)
    bucket_start BIGINT NOT NULL,
    -- 0 (or '') when the request failed before it was known
    user_id BIGINT NOT NULL,
    gateway_key_id BIGINT NOT NULL,
    provider_key_id BIGINT NOT NULL,
    model TEXT NOT NULL,
    -- '' on success
    error_kind TEXT NOT NULL,
    requests BIGINT NOT NULL,
    successes BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    cache_read_tokens BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_micros BIGINT NOT NULL,
    duration_ms_sum BIGINT NOT NULL,
    ttfb_count BIGINT NOT NULL,
    duration_ms_max BIGINT NOT NULL,
    ttfb_ms_max BIGINT NOT NULL,
    -- latency histograms, cumulative: requests whose duration (streams whose time to first byte) was at most N ms
    duration_le_5 BIGINT NOT NULL,
    duration_le_10 BIGINT NOT NULL,
    duration_le_25 BIGINT NOT NULL,
    duration_le_50 BIGINT NOT NULL,
    duration_le_75 BIGINT NOT NULL,
    duration_le_100 BIGINT NOT NULL,
    duration_le_150 BIGINT NOT NULL,
    duration_le_200 BIGINT NOT NULL,
    duration_le_300 BIGINT NOT NULL,
    duration_le_400 BIGINT NOT NULL,
    duration_le_500 BIGINT NOT NULL,
    duration_le_750 BIGINT NOT NULL,
    duration_le_1000 BIGINT NOT NULL,
    duration_le_1500 BIGINT NOT NULL,
    duration_le_2000 BIGINT NOT NULL,
    duration_le_3000 BIGINT NOT NULL,
    duration_le_4000 BIGINT NOT NULL,
    duration_le_5000 BIGINT NOT NULL,
    duration_le_7500 BIGINT NOT NULL,
    duration_le_10000 BIGINT NOT NULL,
    duration_le_15000 BIGINT NOT NULL,
    duration_le_20000 BIGINT NOT NULL,
    duration_le_30000 BIGINT NOT NULL,
    duration_le_45000 BIGINT NOT NULL,
    duration_le_60000 BIGINT NOT NULL,
    duration_le_120000 BIGINT NOT NULL,
    duration_le_300000 BIGINT NOT NULL,
    ttfb_le_5 BIGINT NOT NULL,
    ttfb_le_10 BIGINT NOT NULL,
    ttfb_le_25 BIGINT NOT NULL,
    ttfb_le_50 BIGINT NOT NULL,
    ttfb_le_75 BIGINT NOT NULL,
    ttfb_le_100 BIGINT NOT NULL,
    ttfb_le_150 BIGINT NOT NULL,
    ttfb_le_200 BIGINT NOT NULL,
    ttfb_le_300 BIGINT NOT NULL,
    ttfb_le_400 BIGINT NOT NULL,
    ttfb_le_500 BIGINT NOT NULL,
    ttfb_le_750 BIGINT NOT NULL,
    ttfb_le_1000 BIGINT NOT NULL,
    ttfb_le_1500 BIGINT NOT NULL,
    ttfb_le_2000 BIGINT NOT NULL,
    ttfb_le_3000 BIGINT NOT NULL,
    ttfb_le_4000 BIGINT NOT NULL,
    ttfb_le_5000 BIGINT NOT NULL,
    ttfb_le_7500 BIGINT NOT NULL,
    ttfb_le_10000 BIGINT NOT NULL,
    ttfb_le_15000 BIGINT NOT NULL,
    ttfb_le_20000 BIGINT NOT NULL,
    ttfb_le_30000 BIGINT NOT NULL,
    ttfb_le_45000 BIGINT NOT NULL,
    ttfb_le_60000 BIGINT NOT NULL,
    ttfb_le_120000 BIGINT NOT NULL,
    ttfb_le_300000 BIGINT NOT NULL,
    PRIMARY KEY (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind)
){{WITHOUT_ROWID}};
-- Existing traces, rolled up once: every breakdown of every minute, then the hours from the minutes.
INSERT INTO stats_minute (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT 4, created_at - created_at % 60000, COALESCE(user_id, 0), COALESCE(gateway_key_id, 0),
COALESCE(provider_key_id, 0), SUBSTR(COALESCE(model, ''), 1, 200), COALESCE(error_kind, ''), COUNT(*),
SUM(success), SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens), SUM(cache_read_tokens),
SUM(cache_write_tokens), SUM(cost_micros), SUM(duration_ms), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL
THEN 1 ELSE 0 END), MAX(duration_ms), MAX(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL THEN ttfb_ms ELSE 0 END),
SUM(CASE WHEN duration_ms <= 5 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 10 THEN 1 ELSE 0 END), SUM(CASE
WHEN duration_ms <= 25 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 50 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 75 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 100 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 150 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 200 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 300 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 400 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 500 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 750 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 1500 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 3000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 4000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 7500 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 15000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 20000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 45000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms <= 120000 THEN 1 ELSE 0 END), SUM(CASE WHEN
duration_ms <= 300000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 5 THEN
1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 10 THEN 1 ELSE 0 END), SUM(CASE
WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 25 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND
ttfb_ms IS NOT NULL AND ttfb_ms <= 50 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND
ttfb_ms <= 75 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 100 THEN 1 ELSE
0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 150 THEN 1 ELSE 0 END), SUM(CASE WHEN
streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 200 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms
IS NOT NULL AND ttfb_ms <= 300 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms
<= 400 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 500 THEN 1 ELSE 0
END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 750 THEN 1 ELSE 0 END), SUM(CASE WHEN
streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms
IS NOT NULL AND ttfb_ms <= 1500 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms
<= 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 3000 THEN 1 ELSE 0
END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 4000 THEN 1 ELSE 0 END), SUM(CASE WHEN
streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms
IS NOT NULL AND ttfb_ms <= 7500 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms
<= 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 15000 THEN 1 ELSE 0
END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 20000 THEN 1 ELSE 0 END), SUM(CASE WHEN
streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND
ttfb_ms IS NOT NULL AND ttfb_ms <= 45000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND
ttfb_ms <= 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 120000 THEN
1 ELSE 0 END), SUM(CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL AND ttfb_ms <= 300000 THEN 1 ELSE 0 END)
FROM traces GROUP BY created_at - created_at % 60000, COALESCE(user_id, 0), COALESCE(gateway_key_id, 0),
    COALESCE(provider_key_id, 0), SUBSTR(COALESCE(model, ''), 1, 200), COALESCE(error_kind, '');
INSERT INTO stats_minute (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT 0, bucket_start, 0, 0, 0, '', error_kind, SUM(requests), SUM(successes), SUM(prompt_tokens),
SUM(completion_tokens), SUM(total_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_micros),
SUM(duration_ms_sum), SUM(ttfb_count), MAX(duration_ms_max), MAX(ttfb_ms_max), SUM(duration_le_5),
SUM(duration_le_10), SUM(duration_le_25), SUM(duration_le_50), SUM(duration_le_75), SUM(duration_le_100),
SUM(duration_le_150), SUM(duration_le_200), SUM(duration_le_300), SUM(duration_le_400), SUM(duration_le_500),
SUM(duration_le_750), SUM(duration_le_1000), SUM(duration_le_1500), SUM(duration_le_2000), SUM(duration_le_3000),
SUM(duration_le_4000), SUM(duration_le_5000), SUM(duration_le_7500), SUM(duration_le_10000),
SUM(duration_le_15000), SUM(duration_le_20000), SUM(duration_le_30000), SUM(duration_le_45000),
SUM(duration_le_60000), SUM(duration_le_120000), SUM(duration_le_300000), SUM(ttfb_le_5), SUM(ttfb_le_10),
SUM(ttfb_le_25), SUM(ttfb_le_50), SUM(ttfb_le_75), SUM(ttfb_le_100), SUM(ttfb_le_150), SUM(ttfb_le_200),
SUM(ttfb_le_300), SUM(ttfb_le_400), SUM(ttfb_le_500), SUM(ttfb_le_750), SUM(ttfb_le_1000), SUM(ttfb_le_1500),
SUM(ttfb_le_2000), SUM(ttfb_le_3000), SUM(ttfb_le_4000), SUM(ttfb_le_5000), SUM(ttfb_le_7500), SUM(ttfb_le_10000),
SUM(ttfb_le_15000), SUM(ttfb_le_20000), SUM(ttfb_le_30000), SUM(ttfb_le_45000), SUM(ttfb_le_60000),
SUM(ttfb_le_120000), SUM(ttfb_le_300000)
FROM stats_minute WHERE breakdown = 4 GROUP BY bucket_start, error_kind;
INSERT INTO stats_minute (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT 1, bucket_start, user_id, gateway_key_id, 0, '', error_kind, SUM(requests), SUM(successes),
SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
SUM(cost_micros), SUM(duration_ms_sum), SUM(ttfb_count), MAX(duration_ms_max), MAX(ttfb_ms_max),
SUM(duration_le_5), SUM(duration_le_10), SUM(duration_le_25), SUM(duration_le_50), SUM(duration_le_75),
SUM(duration_le_100), SUM(duration_le_150), SUM(duration_le_200), SUM(duration_le_300), SUM(duration_le_400),
SUM(duration_le_500), SUM(duration_le_750), SUM(duration_le_1000), SUM(duration_le_1500), SUM(duration_le_2000),
SUM(duration_le_3000), SUM(duration_le_4000), SUM(duration_le_5000), SUM(duration_le_7500), SUM(duration_le_10000),
SUM(duration_le_15000), SUM(duration_le_20000), SUM(duration_le_30000), SUM(duration_le_45000),
SUM(duration_le_60000), SUM(duration_le_120000), SUM(duration_le_300000), SUM(ttfb_le_5), SUM(ttfb_le_10),
SUM(ttfb_le_25), SUM(ttfb_le_50), SUM(ttfb_le_75), SUM(ttfb_le_100), SUM(ttfb_le_150), SUM(ttfb_le_200),
SUM(ttfb_le_300), SUM(ttfb_le_400), SUM(ttfb_le_500), SUM(ttfb_le_750), SUM(ttfb_le_1000), SUM(ttfb_le_1500),
SUM(ttfb_le_2000), SUM(ttfb_le_3000), SUM(ttfb_le_4000), SUM(ttfb_le_5000), SUM(ttfb_le_7500), SUM(ttfb_le_10000),
SUM(ttfb_le_15000), SUM(ttfb_le_20000), SUM(ttfb_le_30000), SUM(ttfb_le_45000), SUM(ttfb_le_60000),
SUM(ttfb_le_120000), SUM(ttfb_le_300000)
FROM stats_minute WHERE breakdown = 4 GROUP BY bucket_start, user_id, gateway_key_id, error_kind;
INSERT INTO stats_minute (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT 2, bucket_start, 0, 0, provider_key_id, '', error_kind, SUM(requests), SUM(successes), SUM(prompt_tokens),
SUM(completion_tokens), SUM(total_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_micros),
SUM(duration_ms_sum), SUM(ttfb_count), MAX(duration_ms_max), MAX(ttfb_ms_max), SUM(duration_le_5),
SUM(duration_le_10), SUM(duration_le_25), SUM(duration_le_50), SUM(duration_le_75), SUM(duration_le_100),
SUM(duration_le_150), SUM(duration_le_200), SUM(duration_le_300), SUM(duration_le_400), SUM(duration_le_500),
SUM(duration_le_750), SUM(duration_le_1000), SUM(duration_le_1500), SUM(duration_le_2000), SUM(duration_le_3000),
SUM(duration_le_4000), SUM(duration_le_5000), SUM(duration_le_7500), SUM(duration_le_10000),
SUM(duration_le_15000), SUM(duration_le_20000), SUM(duration_le_30000), SUM(duration_le_45000),
SUM(duration_le_60000), SUM(duration_le_120000), SUM(duration_le_300000), SUM(ttfb_le_5), SUM(ttfb_le_10),
SUM(ttfb_le_25), SUM(ttfb_le_50), SUM(ttfb_le_75), SUM(ttfb_le_100), SUM(ttfb_le_150), SUM(ttfb_le_200),
SUM(ttfb_le_300), SUM(ttfb_le_400), SUM(ttfb_le_500), SUM(ttfb_le_750), SUM(ttfb_le_1000), SUM(ttfb_le_1500),
SUM(ttfb_le_2000), SUM(ttfb_le_3000), SUM(ttfb_le_4000), SUM(ttfb_le_5000), SUM(ttfb_le_7500), SUM(ttfb_le_10000),
SUM(ttfb_le_15000), SUM(ttfb_le_20000), SUM(ttfb_le_30000), SUM(ttfb_le_45000), SUM(ttfb_le_60000),
SUM(ttfb_le_120000), SUM(ttfb_le_300000)
FROM stats_minute WHERE breakdown = 4 GROUP BY bucket_start, provider_key_id, error_kind;
INSERT INTO stats_minute (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT 3, bucket_start, 0, 0, 0, model, error_kind, SUM(requests), SUM(successes), SUM(prompt_tokens),
SUM(completion_tokens), SUM(total_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_micros),
SUM(duration_ms_sum), SUM(ttfb_count), MAX(duration_ms_max), MAX(ttfb_ms_max), SUM(duration_le_5),
SUM(duration_le_10), SUM(duration_le_25), SUM(duration_le_50), SUM(duration_le_75), SUM(duration_le_100),
SUM(duration_le_150), SUM(duration_le_200), SUM(duration_le_300), SUM(duration_le_400), SUM(duration_le_500),
SUM(duration_le_750), SUM(duration_le_1000), SUM(duration_le_1500), SUM(duration_le_2000), SUM(duration_le_3000),
SUM(duration_le_4000), SUM(duration_le_5000), SUM(duration_le_7500), SUM(duration_le_10000),
SUM(duration_le_15000), SUM(duration_le_20000), SUM(duration_le_30000), SUM(duration_le_45000),
SUM(duration_le_60000), SUM(duration_le_120000), SUM(duration_le_300000), SUM(ttfb_le_5), SUM(ttfb_le_10),
SUM(ttfb_le_25), SUM(ttfb_le_50), SUM(ttfb_le_75), SUM(ttfb_le_100), SUM(ttfb_le_150), SUM(ttfb_le_200),
SUM(ttfb_le_300), SUM(ttfb_le_400), SUM(ttfb_le_500), SUM(ttfb_le_750), SUM(ttfb_le_1000), SUM(ttfb_le_1500),
SUM(ttfb_le_2000), SUM(ttfb_le_3000), SUM(ttfb_le_4000), SUM(ttfb_le_5000), SUM(ttfb_le_7500), SUM(ttfb_le_10000),
SUM(ttfb_le_15000), SUM(ttfb_le_20000), SUM(ttfb_le_30000), SUM(ttfb_le_45000), SUM(ttfb_le_60000),
SUM(ttfb_le_120000), SUM(ttfb_le_300000)
FROM stats_minute WHERE breakdown = 4 GROUP BY bucket_start, model, error_kind;
INSERT INTO stats_hour (breakdown, bucket_start, user_id, gateway_key_id, provider_key_id, model, error_kind,
requests, successes, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens,
cost_micros, duration_ms_sum, ttfb_count, duration_ms_max, ttfb_ms_max, duration_le_5, duration_le_10,
duration_le_25, duration_le_50, duration_le_75, duration_le_100, duration_le_150, duration_le_200, duration_le_300,
duration_le_400, duration_le_500, duration_le_750, duration_le_1000, duration_le_1500, duration_le_2000,
duration_le_3000, duration_le_4000, duration_le_5000, duration_le_7500, duration_le_10000, duration_le_15000,
duration_le_20000, duration_le_30000, duration_le_45000, duration_le_60000, duration_le_120000, duration_le_300000,
ttfb_le_5, ttfb_le_10, ttfb_le_25, ttfb_le_50, ttfb_le_75, ttfb_le_100, ttfb_le_150, ttfb_le_200, ttfb_le_300,
ttfb_le_400, ttfb_le_500, ttfb_le_750, ttfb_le_1000, ttfb_le_1500, ttfb_le_2000, ttfb_le_3000, ttfb_le_4000,
ttfb_le_5000, ttfb_le_7500, ttfb_le_10000, ttfb_le_15000, ttfb_le_20000, ttfb_le_30000, ttfb_le_45000,
ttfb_le_60000, ttfb_le_120000, ttfb_le_300000)
SELECT breakdown, bucket_start - bucket_start % 3600000, user_id, gateway_key_id, provider_key_id, model,
error_kind, SUM(requests), SUM(successes), SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens),
SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_micros), SUM(duration_ms_sum), SUM(ttfb_count),
MAX(duration_ms_max), MAX(ttfb_ms_max), SUM(duration_le_5), SUM(duration_le_10), SUM(duration_le_25),
SUM(duration_le_50), SUM(duration_le_75), SUM(duration_le_100), SUM(duration_le_150), SUM(duration_le_200),
SUM(duration_le_300), SUM(duration_le_400), SUM(duration_le_500), SUM(duration_le_750), SUM(duration_le_1000),
SUM(duration_le_1500), SUM(duration_le_2000), SUM(duration_le_3000), SUM(duration_le_4000), SUM(duration_le_5000),
SUM(duration_le_7500), SUM(duration_le_10000), SUM(duration_le_15000), SUM(duration_le_20000),
SUM(duration_le_30000), SUM(duration_le_45000), SUM(duration_le_60000), SUM(duration_le_120000),
SUM(duration_le_300000), SUM(ttfb_le_5), SUM(ttfb_le_10), SUM(ttfb_le_25), SUM(ttfb_le_50), SUM(ttfb_le_75),
SUM(ttfb_le_100), SUM(ttfb_le_150), SUM(ttfb_le_200), SUM(ttfb_le_300), SUM(ttfb_le_400), SUM(ttfb_le_500),
SUM(ttfb_le_750), SUM(ttfb_le_1000), SUM(ttfb_le_1500), SUM(ttfb_le_2000), SUM(ttfb_le_3000), SUM(ttfb_le_4000),
SUM(ttfb_le_5000), SUM(ttfb_le_7500), SUM(ttfb_le_10000), SUM(ttfb_le_15000), SUM(ttfb_le_20000),
SUM(ttfb_le_30000), SUM(ttfb_le_45000), SUM(ttfb_le_60000), SUM(ttfb_le_120000), SUM(ttfb_le_300000)
FROM stats_minute GROUP BY breakdown, bucket_start - bucket_start % 3600000, user_id, gateway_key_id,
provider_key_id,
    model, error_kind;
