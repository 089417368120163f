-- wrk script: POST the JSON body given after "--" on every request:
-- wrk ... -s bench/post.lua URL -- BODY
function init(args)
  req = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, args[1])
end

function request()
  return req
end
