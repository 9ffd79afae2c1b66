-- POST /api/v1/keys/verify with the one token in $BENCH_TOKEN at the gate of $BENCH_PROJECT, as a backend service
-- calls it.
wrk.method = "POST"
wrk.path = "/api/v1/keys/verify"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"project":"' .. os.getenv("BENCH_PROJECT") .. '","token":"' .. os.getenv("BENCH_TOKEN") .. '"}'
