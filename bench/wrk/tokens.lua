-- Cycles through the tokens in $BENCH_TOKENS (one per line), one per request, so every request can bring a
-- different key id or secret. $BENCH_MODE: "bearer" (GET $BENCH_PATH with Authorization) or "verify"
-- (POST /api/v1/keys/verify at the gate of $BENCH_PROJECT). Requests are formatted once, in init, so wrk spends its time sending them.
local requests = {}
local next_index = 1

function init(args)
  local mode = os.getenv("BENCH_MODE") or "bearer"
  local path = os.getenv("BENCH_PATH") or "/"
  for token in io.lines(os.getenv("BENCH_TOKENS")) do
    if mode == "verify" then
      requests[#requests + 1] = wrk.format("POST", "/api/v1/keys/verify",
        { ["Content-Type"] = "application/json" },
        '{"project":"' .. os.getenv("BENCH_PROJECT") .. '","token":"' .. token .. '"}')
    else
      requests[#requests + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
    end
  end
end

function request()
  local request = requests[next_index]
  next_index = next_index % #requests + 1
  return request
end
