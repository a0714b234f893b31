-- TEST STAND-IN for jicofo (a Java service, not a Prosody module): answers the client's conference request
-- (<conference xmlns="http://jitsi.org/protocol/focus" room="…"/>) by creating the room on the MUC component,
-- as jicofo does before anyone may join (docs/jitsi.md §1.1). Options the tests set to reproduce deployments:
--   focus_lobby = true             rooms are created members-only (Jitsi's lobby on)
--   focus_owns_every_user = true   every occupant is made owner after joining, as jicofo's
--                                  AuthenticationRoleManager does when jicofo authentication is on (§1.7)
--   focus_answer = "not-authorized" refuse the request, as jicofo refuses users it does not accept
--   focus_answer = "none"           never answer, as when jicofo is down
local st = require "util.stanza";
local timer = require "util.timer";

local muc_host = module:get_option_string("focus_muc_component");
local lobby = module:get_option_boolean("focus_lobby", false);
local owns_every_user = module:get_option_boolean("focus_owns_every_user", false);
local answer = module:get_option_string("focus_answer", "ready");

-- jicofo's AuthenticationRoleManager: owner for every occupant, just after the join. Hooked on the MUC
-- host when the first room is made (components load in no fixed order, so not at load time).
local function make_owner(event)
	local room, occupant = event.room, event.occupant;
	timer.add_task(0.05, function ()
		room:set_affiliation(true, occupant.bare_jid, "owner");
	end);
end

local hooked = false;

module:hook("iq-set/host/http://jitsi.org/protocol/focus:conference", function (event)
	local origin, stanza = event.origin, event.stanza;
	if answer == "none" then return true end
	if answer ~= "ready" then
		origin.send(st.error_reply(stanza, "cancel", answer, "conference request refused"));
		return true;
	end
	local room_jid = stanza.tags[1].attr.room;
	local muc_host_session = prosody.hosts[muc_host];
	if owns_every_user and not hooked then
		muc_host_session.events.add_handler("muc-occupant-joined", make_owner);
		hooked = true;
	end
	local muc = muc_host_session.modules.muc;
	local room = muc.get_room_from_jid(room_jid) or muc.create_room(room_jid);
	if lobby then room:set_members_only(true) end
	origin.send(st.reply(stanza):tag("conference", {
		xmlns = "http://jitsi.org/protocol/focus", ready = "true", room = room_jid, focusjid = module.host
	}));
	return true;
end);
