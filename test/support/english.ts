// Code that runs outside a request (rules, command-line tools) speaks APP_LANGUAGE: the suite checks
// English texts there; tests of Vietnamese ask for it explicitly (withLanguage, Accept-Language).
process.env.APP_LANGUAGE ??= "en";
