/** Cookie holding the domain of the work email typed at sign-in (not secret; 15 minutes). */
export const LOGIN_DOMAIN_COOKIE = "ttp-login-domain";
