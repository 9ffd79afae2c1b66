-- POST /api/v1/keys/verify with the one token in $BENCH_TOKEN, as a backend service calls it.
wrk.method = "POST"
wrk.path = "/api/v1/keys/verify"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"token":"' .. os.getenv("BENCH_TOKEN") .. '"}'
