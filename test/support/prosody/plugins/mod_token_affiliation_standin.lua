-- TEST STAND-IN for Jitsi's mod_token_affiliation.lua (docs/jitsi.md §1.7): at join, owner (and the
-- moderator role) when context.user.moderator is true or "true" or the affiliation is owner, moderator or
-- teacher, otherwise member; nothing for a user held by an active lobby (a members-only room) who is not
-- affiliated yet, so that user is refused as Prosody refuses non-members (registration-required).
local function affiliation_from_token(session)
	if not session or not session.auth_token then return nil end
	local user = session.jitsi_meet_context_user;
	if user and (user.affiliation == "owner" or user.affiliation == "moderator" or user.affiliation == "teacher"
		or user.moderator == true or user.moderator == "true") then
		return "owner";
	end
	return "member";
end

module:hook("muc-occupant-pre-join", function (event)
	local room, occupant, session = event.room, event.occupant, event.origin;
	if room:get_members_only() then
		local existing = room:get_affiliation(occupant.bare_jid);
		if not existing or existing == "none" then return end
	end
	local affiliation = affiliation_from_token(session);
	if not affiliation then return end
	room:set_affiliation(true, occupant.bare_jid, affiliation);
	if affiliation == "owner" then occupant.role = "moderator" end
end, -3.5);
