-- wrk script: GET random objects from the ids listed one per line in the
-- file named by the environment variable IDS.
--   IDS=/tmp/ids.txt wrk -t1 -c50 -d10s --latency -s bench/wrk/objects.lua http://127.0.0.1:PORT
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
math.randomseed(1)
request = function()
  return wrk.format("GET", "/api/v1/objects/" .. ids[math.random(#ids)])
end
