# Svenska (sv)

## Sidram
page-title = Logga in
page-title-service = Logga in på { $service }
confirm-title-payee = Bekräfta en betalning till { $payee }
title-error = Fel: { $title }
service-privacy = Integritet
service-help = Hjälp
language-label = Språk
cancel-button = Avbryt och gå tillbaka

## Val av inloggningsmetod
choose-heading = Hur vill du logga in?
provider-otp-sms = Engångskod via sms
choose-submit = Fortsätt

## Sida för telefonnummer
phone-heading = Ange ditt mobilnummer
phone-intro = Vi skickar en engångskod till det här numret via sms.
phone-label = Mobilnummer
phone-help = Till exempel { $example }. Ett nummer utanför { $region } måste börja med landsnumret.
phone-submit = Skicka kod
phone-invalid = Det är inte ett giltigt mobilnummer. Kontrollera numret och försök igen.
phone-required = Ange ditt mobilnummer.

## Sida för kod
code-heading = Ange koden
code-sent-to = Vi har skickat en kod till { $phone }.
code-label = Engångskod
code-submit = Bekräfta
code-wrong = { $remaining ->
    [one] Koden är felaktig. Du har ett försök kvar.
   *[other] Koden är felaktig. Du har { $remaining } försök kvar.
}
code-malformed = Koden ska bestå av { $length } siffror.
code-required = Ange koden som vi skickade till dig.
code-expired = Koden har gått ut. Begär en ny kod.
code-resent = Vi har skickat en ny kod till dig.
resend-submit = Skicka en ny kod
resend-wait = Du kan begära en ny kod om { $seconds } sekunder.
resend-countdown = Du kan begära en ny kod om { $time }.
resend-limit = Det går inte att skicka fler koder för den här inloggningen.
change-number = Använd ett annat nummer
send-failed = Vi kunde inte skicka koden. Försök igen om en stund.

## Felsidor
error-heading = Något gick fel
error-not-found = Inloggningslänken är inte giltig. Gå tillbaka till tjänsten och börja om.
no-page-heading = Sidan hittades inte
no-page = Det finns ingenting på den här adressen. Om en tjänst skickade dig hit, gå tillbaka dit och börja om.
error-expired-heading = Inloggningen har gått ut
error-expired = Det tog för lång tid. Gå tillbaka till tjänsten och börja om.
error-failed = För många felaktiga koder har angetts. Gå tillbaka till tjänsten och börja om.
error-finished = Inloggningen är redan slutförd.
error-other-browser = Inloggningen påbörjades i en annan webbläsare. Öppna länken i webbläsaren där du började, eller börja om.
error-form-expired = Formuläret var inaktuellt. Försök igen.
error-unavailable = Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.
error-reference = Referens för support: { $reference }
error-parameter = Till tjänstens utvecklare: parametern ”{ $parameter }” saknas eller är ogiltig.
back-to-service = Tillbaka till tjänsten
back-to-named = Tillbaka till { $service }
try-again = Försök igen

## Sms-text. Den sista raden (läggs till av brokern) låter telefonen föreslå koden för den här webbplatsen.
sms-body = { $sender }: { $code } är din engångskod. Den gäller i { $minutes } minuter. Dela den inte med någon.

## Tillbaka till tjänsten (OpenID Connect)
error-invalid-request = Tjänsten som skickade dig hit gjorde en inloggningsbegäran som vi inte kan godta. Gå tillbaka till tjänsten och försök igen.
redirect-heading = Du skickas tillbaka till tjänsten
redirect-text = Om inget händer, tryck på Fortsätt.
continue-button = Fortsätt
signed-out-heading = Du är utloggad
signed-out = Du kan stänga det här fönstret nu.

## Utfall som visas kort innan användaren skickas tillbaka till tjänsten
outcome-cancelled-heading = Inloggningen avbröts
outcome-cancelled = Du avbröt inloggningen. Ingenting delades med tjänsten.
outcome-failed-heading = Inloggningen stoppades
outcome-failed = För många felaktiga koder angavs, så vi stoppade inloggningen för att skydda dig.
outcome-moving-on = Du skickas tillbaka om några sekunder.

## Engångskoder via e-post
provider-otp-email = Engångskod via e-post
email-heading = Ange din e-postadress
email-intro = Vi skickar en engångskod till den här adressen via e-post.
email-label = E-postadress
email-invalid = Det är inte en giltig e-postadress. Kontrollera adressen och försök igen.
email-required = Ange din e-postadress.
change-email = Använd en annan adress
email-subject = Din engångskod
email-body = Din engångskod är { $code }. Den gäller i { $minutes } minuter. Om du inte har begärt någon kod kan du bortse från det här meddelandet.

## Koder som begärs direkt av en applikation (ingen inloggningssida)
grant-otp-body = Ditt engångslösenord är { $code }

## Begränsningar som skyddar användarna och tjänsten
limit-wait = { $minutes ->
    [one] För många försök. Försök igen om en minut.
   *[other] För många försök. Försök igen om { $minutes } minuter.
}
sms-unavailable = Vi kan inte skicka sms för tillfället. Försök igen senare.
phone-not-mobile = Vi kan bara skicka koder till mobilnummer. Ange ett mobilnummer.
phone-region-refused = Vi kan inte skicka koder till nummer i det landet. Ange ett annat mobilnummer.

## Bekräfta en betalning (en kod kopplad till ett belopp och en mottagare)
confirm-title = Bekräfta en betalning
confirm-heading = Bekräfta den här betalningen
confirm-intro = Kontrollera beloppet och vem du betalar till. Koden gäller bara för den här betalningen.
confirm-amount = Belopp
confirm-payee = Mottagare
confirm-message = Meddelande
confirm-submit = Bekräfta betalning
sms-confirm = { $sender }: { $code } är din kod för att bekräfta { $amount } till { $payee }. Den gäller i { $minutes } minuter. Dela den inte med någon.
email-confirm-subject = Din kod för att bekräfta en betalning
email-confirm-body = Din kod för att bekräfta betalningen på { $amount } till { $payee } är { $code }. Den gäller i { $minutes } minuter. Om du inte har påbörjat den här betalningen ska du inte använda koden.
