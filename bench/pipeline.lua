-- wrk script: HTTP/1.1 pipelining, `depth` requests per write (wrk's own example,
-- parameterised): wrk ... -s bench/pipeline.lua URL -- DEPTH
local depth = 16

function init(args)
  depth = tonumber(args[1]) or depth
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil) end
  req = table.concat(r)
end

function request()
  return req
end
