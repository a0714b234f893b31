-- TEST STAND-IN for Jitsi's mod_auth_token.lua with token/util.lib.lua and luajwtjitsi.lib.lua (not in any
-- package registry). It implements what docs/jitsi.md §1.1–§1.3 says they check, HS256 only: typ "JWT",
-- alg, signature with app_secret, exp/nbf numbers and times, iss and aud against the accepted lists, room
-- and sub present, with the same reason texts; SASL ANONYMOUS answers not-allowed with the reason.
local jwt = require "util.jwt";
local json = require "util.json";
local base64_decode = require "util.encodings".base64.decode;
local sasl = require "util.sasl";

local app_id = module:get_option_string("app_id");
local app_secret = module:get_option_string("app_secret");
local accepted_issuers = module:get_option_array("asap_accepted_issuers", { app_id });
local accepted_audiences = module:get_option_array("asap_accepted_audiences", { "*" });

local function unb64url(data)
	return base64_decode((data:gsub("-", "+"):gsub("_", "/")) .. "==");
end

-- luajwtjitsi's verify_claim: "*" accepts anything; otherwise an exact string match.
local function accepted(value, list)
	for _, candidate in ipairs(list) do
		if candidate == "*" or candidate == value then return true end
	end
	return false;
end

local function verify(token)
	if token == nil then return nil, "not-allowed", "token required" end
	local encoded_header = token:match("^([A-Za-z0-9_-]+)%.");
	local header = encoded_header and json.decode(unb64url(encoded_header));
	if type(header) ~= "table" then return nil, "not-allowed", "Invalid token" end
	if header.typ ~= "JWT" then return nil, "not-allowed", "Invalid typ" end
	if header.alg ~= "HS256" then return nil, "not-allowed", "Invalid or incorrect alg" end
	local valid, claims = jwt.verify(app_secret, token);
	if not valid then return nil, "not-allowed", "Invalid signature" end
	if claims.exp ~= nil and type(claims.exp) ~= "number" then return nil, "not-allowed", "exp must be number" end
	if claims.nbf ~= nil and type(claims.nbf) ~= "number" then return nil, "not-allowed", "nbf must be number" end
	if claims.exp and os.time() >= claims.exp then
		return nil, "not-allowed", "Not acceptable by exp (" .. tostring(math.floor(os.time() - claims.exp)) .. " sec since expired)";
	end
	if claims.nbf and os.time() < claims.nbf then return nil, "not-allowed", "Not acceptable by nbf" end
	if claims.iss == nil then return nil, "not-allowed", "'iss' claim is missing" end
	if not accepted(claims.iss, accepted_issuers) then return nil, "not-allowed", "invalid 'iss' claim" end
	if claims.aud == nil then return nil, "not-allowed", "'aud' claim is missing" end
	if not accepted(claims.aud, accepted_audiences) then return nil, "not-allowed", "invalid 'aud' claim" end
	if claims.room == nil then return nil, "not-authorized", "room claim is missing" end
	if claims.sub == nil then return nil, "not-authorized", "sub claim is missing" end
	return claims;
end

local provider = {};
function provider.test_password() return nil, "password authentication is not supported" end
function provider.get_password() return nil end
function provider.set_password() return nil end
function provider.user_exists() return nil end
function provider.create_user() return nil end
function provider.delete_user() return nil end
function provider.users() return next, {}, nil end

function provider.get_sasl_handler(session)
	return sasl.new(module.host, {
		anonymous = function (_, _, _)
			local claims, condition, reason = verify(session.auth_token);
			if not claims then
				module:log("info", "token refused: %s", reason);
				session.auth_token = nil;
				return false, condition, reason;
			end
			session.jitsi_meet_room = claims.room;
			session.jitsi_meet_domain = claims.sub;
			session.jitsi_meet_context_user = type(claims.context) == "table" and claims.context.user or nil;
			session.jitsi_meet_context_room = type(claims.context) == "table" and claims.context.room or nil;
			return true;
		end
	});
end

module:provides("auth", provider);

-- Prosody's own ANONYMOUS mechanism retries until the profile says yes; Jitsi replaces it so that a refused
-- token fails the SASL exchange with its reason (mod_auth_token.lua, the `anonymous` function).
sasl.registerMechanism("ANONYMOUS", { "anonymous" }, function (self, _)
	local username = require "util.id".medium():lower();
	local ok, condition, reason = self.profile.anonymous(self, username, self.realm);
	if ok then
		self.username = username;
		return "success";
	end
	return "failure", condition, reason;
end);
