-- TEST STAND-IN for Jitsi's mod_token_verification.lua with Util:verify_room (docs/jitsi.md §1.1, §1.4), in
-- both of its modes, as jitsi-meet before #17803 (September 2026, every stable release until then) has it:
--   domain verification off (docker-jitsi-meet's default): the room must equal the lower-cased `room` claim,
--     or the claim is "*";
--   domain verification on (option standin_domain_verification): the claim is lower-cased, then, with
--     context.room.regex, used as a Lua pattern (Lua's own string.match) whose match must be the whole room;
--     `sub` must be "*" or the domain whose conference host the room is on.
-- Admins (the focus) skip the check. A mismatch is answered not-allowed, as Jitsi does.
local jid_split = require "util.jid".split;
local st = require "util.stanza";
local is_admin = require "core.usermanager".is_admin;

local domain_verification = module:get_option_boolean("standin_domain_verification", false);

local function allowed(session, room_name, muc_host)
	local claim = session.jitsi_meet_room;
	if type(claim) ~= "string" then return false end
	claim = string.lower(claim);
	if claim == "*" then return true end
	if not domain_verification then return claim == room_name end
	local context_room = session.jitsi_meet_context_room;
	local room_to_check = claim;
	if type(context_room) == "table" and (context_room.regex == true or context_room.regex == "true") then
		local ok, result = pcall(string.match, room_name, claim);
		if not ok then return false end
		room_to_check = result;
	end
	local sub = session.jitsi_meet_domain;
	return room_to_check == room_name and (sub == "*" or "conference." .. tostring(sub) == muc_host);
end

local function verify_user(session, stanza)
	if is_admin(stanza.attr.from, module.host) or session.type == "component" then return true end
	local room_name, muc_host = jid_split(stanza.attr.to);
	if allowed(session, room_name, muc_host) then return true end
	session.send(st.error_reply(stanza, "cancel", "not-allowed", "Room and token mismatched"));
	return false;
end

module:hook("muc-occupant-pre-join", function (event)
	if not verify_user(event.origin, event.stanza) then return true end
end, 99);
