-- TEST STAND-IN for Jitsi's mod_token_verification.lua with Util:verify_room, domain verification off
-- (docker-jitsi-meet's default; docs/jitsi.md §1.1 and §1.4): a token user may join a room only when the
-- room's name equals the lower-cased `room` claim, or the claim is "*". Admins (the focus) skip the check.
-- A mismatch is answered not-allowed, as Jitsi does.
local jid_split = require "util.jid".split;
local st = require "util.stanza";
local is_admin = require "core.usermanager".is_admin;

local function verify_user(session, stanza)
	if is_admin(stanza.attr.from, module.host) or session.type == "component" then return true end
	local room_name = jid_split(stanza.attr.to);
	local claim = session.jitsi_meet_room;
	if claim ~= nil and (claim == "*" or string.lower(claim) == room_name) then return true end
	session.send(st.error_reply(stanza, "cancel", "not-allowed", "Room and token mismatched"));
	return false;
end

module:hook("muc-occupant-pre-join", function (event)
	if not verify_user(event.origin, event.stanza) then return true end
end, 99);
