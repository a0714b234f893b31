-- TEST STAND-IN for Jitsi's mod_jitsi_session.lua (not in any package registry; see docs/jitsi.md §1.1):
-- copies ?token= and ?room= of a WebSocket or BOSH request onto the session, unchecked, as Jitsi does.
module:set_global();

local formdecode = require "util.http".formdecode;

local function init_session(event)
	local session, request = event.session, event.request;
	local params = request.url.query and formdecode(request.url.query) or {};
	session.jitsi_web_query_room = params.room;
	session.auth_token = params.token;
end

module:hook_global("bosh-session", init_session, 1);
module:hook_global("websocket-session", init_session, 1);
