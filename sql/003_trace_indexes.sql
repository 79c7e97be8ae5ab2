-- Every index on traces is paid by every proxied request (the trace writer inserts a row per request), so traces
-- keep only the indexes a query needs: time, gateway key, provider key and user, each with time. Nothing looks a
-- trace up by request id, and filters by model or status run inside a time range, which traces_time serves.
DROP INDEX traces_request_id;
DROP INDEX traces_model_time;
DROP INDEX traces_status_time;
