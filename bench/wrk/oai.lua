-- wrk script: OAI-PMH GetRecord of random objects from the ids listed one
-- per line in the file named by the environment variable IDS.
--   IDS=/tmp/ids.txt wrk -t1 -c50 -d10s --latency -s bench/wrk/oai.lua http://127.0.0.1:PORT
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
math.randomseed(1)
request = function()
  return wrk.format("GET", "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Awenyuan.local%3A" .. ids[math.random(#ids)])
end
