-- wrk script for bench/load: each thread is one device with its own session (one connection
-- per thread, so its pushes go out one after the other with consecutive numbers).
-- MODE=push: one new household per request (the worst case: a worker typing online);
-- MODE=pull: a page of 100 log entries from the start of the team's log.
local sessions = {}
for line in io.lines(os.getenv("SESSIONS")) do sessions[#sessions + 1] = line end
local mode = os.getenv("MODE")
-- Each run's records have ids of their own: a later run must not meet an earlier one's ids
-- (its creates would be refused, and the figure would count refusals).
local run = tonumber(os.getenv("RUN") or "0")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

function init(args)
  local cookie, unlock, device = sessions[index]:match("(%S+) (%S+) (%S+)")
  wrk.headers["cookie"] = cookie
  wrk.headers["x-keukentafel-unlock"] = unlock
  wrk.headers["content-type"] = "application/json"
  device_id = device
  settled = 0
end

function request()
  if mode == "pull" then
    return wrk.format("GET", "/api/sync/pull?device_id=" .. device_id .. "&cursor=0&limit=100")
  end
  -- The next number advances only on an answer (response below): wrk may build a request it
  -- never sends (a reconnect), which must not leave a gap in the device's numbers.
  local seq = settled + 1
  local id = string.format("%04x%04x-0000-7000-8000-%012x", run, index, seq)
  local body = string.format(
    '{"device_id":"%s","protocol_version":%s,"changes":[{"device_id":"%s","seq":%d,' ..
    '"record_type":"household","record_id":"%s","op":"create","fields":{"id":"%s",' ..
    '"name":"Huishouden load %d","members":[],"case_manager":null},"base_version":0,' ..
    '"protocol_version":%s,"schema_version":%s}]}',
    device_id, os.getenv("PROTOCOL"), device_id, seq, id, id, seq, os.getenv("PROTOCOL"),
    os.getenv("SCHEMA"))
  return wrk.format("POST", "/api/sync/push", nil, body)
end

function response(status, headers, body)
  if status == 200 and mode == "push" then
    settled = settled + 1
    if not body:find('"outcome":"applied"', 1, true) then
      io.stderr:write("not applied: " .. body .. "\n")
    end
  elseif status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
