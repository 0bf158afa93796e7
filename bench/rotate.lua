-- wrk script: GET $BENCH_PATH (default /_security/_authenticate), rotating the Authorization header
-- through the bearer values in the file $BEARERS (one per line). Each wrk thread starts at its own
-- offset so that no two connections send the same value at the same time.
local bearers = {}
for line in io.lines(os.getenv("BEARERS")) do
  if #line > 0 then
    bearers[#bearers + 1] = "Bearer " .. line
  end
end
local path = os.getenv("BENCH_PATH") or "/_security/_authenticate"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local i = 0
function init(args)
  i = ((id or 1) - 1) * math.floor(#bearers / 16)
end

function request()
  i = i + 1
  if i > #bearers then
    i = 1
  end
  return wrk.format("GET", path, { ["Authorization"] = bearers[i] })
end
