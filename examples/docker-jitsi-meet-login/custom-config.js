// Appended to Jitsi's config.js by docker-jitsi-meet's web container, where `config` is defined.
/* global config */
config.tokenAuthInline = true // log in in a popup, without leaving the meeting; needed for refresh
config.tokenLogoutUrl = 'https://meet.example.org/token-service/logout'
