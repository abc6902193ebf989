# Nederlands (nl)

## Paginakader
page-title = Inloggen
page-title-service = Inloggen bij { $service }
confirm-title-payee = Betaling aan { $payee } bevestigen
title-error = Fout: { $title }
service-privacy = Privacy
service-help = Help
language-label = Taal
cancel-button = Annuleren en teruggaan

## Keuze van inlogmethode
choose-heading = Hoe wilt u inloggen?
provider-otp-sms = Eenmalige code via sms
choose-submit = Doorgaan

## Pagina voor telefoonnummer
phone-heading = Voer uw mobiele nummer in
phone-intro = We sturen per sms een eenmalige code naar dit nummer.
phone-label = Mobiel nummer
phone-help = Bijvoorbeeld { $example }. Een nummer van buiten { $region } moet beginnen met de landcode.
phone-submit = Code versturen
phone-invalid = Dit is geen geldig mobiel nummer. Controleer het nummer en probeer het opnieuw.
phone-required = Voer uw mobiele nummer in.

## Pagina voor code
code-heading = Voer de code in
code-sent-to = We hebben een code gestuurd naar { $phone }.
code-label = Eenmalige code
code-submit = Bevestigen
code-wrong = { $remaining ->
    [one] De code is onjuist. U hebt nog één poging.
   *[other] De code is onjuist. U hebt nog { $remaining } pogingen.
}
code-malformed = De code moet uit { $length } cijfers bestaan.
code-required = Voer de code in die we u hebben gestuurd.
code-expired = Deze code is verlopen. Vraag een nieuwe code aan.
code-resent = We hebben u een nieuwe code gestuurd.
resend-submit = Nieuwe code versturen
resend-wait = U kunt over { $seconds } seconden een nieuwe code aanvragen.
resend-countdown = U kunt over { $time } een nieuwe code aanvragen.
resend-limit = Voor deze inlogpoging kunnen geen codes meer worden verstuurd.
change-number = Ander nummer gebruiken
send-failed = We konden de code niet versturen. Probeer het zo meteen opnieuw.

## Foutpagina's
error-heading = Er is iets misgegaan
error-not-found = Deze inloglink is niet geldig. Ga terug naar de dienst en begin opnieuw.
no-page-heading = Pagina niet gevonden
no-page = Op dit adres staat niets. Als een dienst u hierheen heeft gestuurd, ga dan terug en begin opnieuw.
error-expired-heading = Deze inlogpoging is verlopen
error-expired = Het heeft te lang geduurd. Ga terug naar de dienst en begin opnieuw.
error-failed = Er zijn te veel onjuiste codes ingevoerd. Ga terug naar de dienst en begin opnieuw.
error-finished = Deze inlogpoging is al afgerond.
error-other-browser = Deze inlogpoging is in een andere browser gestart. Open de link in de browser waarin u bent begonnen, of begin opnieuw.
error-form-expired = Het formulier was verouderd. Probeer het opnieuw.
error-unavailable = De dienst is tijdelijk niet beschikbaar. Probeer het zo meteen opnieuw.
error-reference = Referentie voor de helpdesk: { $reference }
error-parameter = Voor de ontwikkelaars van de dienst: de parameter ‘{ $parameter }’ ontbreekt of is ongeldig.
back-to-service = Terug naar de dienst
back-to-named = Terug naar { $service }
try-again = Opnieuw proberen

## Sms-tekst. De laatste regel (toegevoegd door de broker) laat de telefoon de code voor deze site voorstellen.
sms-body = { $sender }: { $code } is uw eenmalige code. Deze is { $minutes } minuten geldig. Deel deze code met niemand.

## Terugkeer naar de dienst (OpenID Connect)
error-invalid-request = De dienst die u hierheen heeft gestuurd, heeft een inlogverzoek gedaan dat we niet kunnen accepteren. Ga terug naar de dienst en probeer het opnieuw.
redirect-heading = U wordt teruggestuurd naar de dienst
redirect-text = Gebeurt er niets? Klik dan op Doorgaan.
continue-button = Doorgaan
signed-out-heading = U bent uitgelogd
signed-out = U kunt dit venster nu sluiten.

## Uitkomsten die kort worden getoond voordat de gebruiker terugkeert naar de dienst
outcome-cancelled-heading = Inloggen geannuleerd
outcome-cancelled = U hebt het inloggen geannuleerd. Er is niets met de dienst gedeeld.
outcome-failed-heading = Inloggen gestopt
outcome-failed = Er zijn te veel onjuiste codes ingevoerd. Om u te beschermen hebben we deze inlogpoging gestopt.
outcome-moving-on = U wordt over een paar seconden teruggestuurd.

## Eenmalige codes via e-mail
provider-otp-email = Eenmalige code via e-mail
email-heading = Voer uw e-mailadres in
email-intro = We sturen per e-mail een eenmalige code naar dit adres.
email-label = E-mailadres
email-invalid = Dit is geen geldig e-mailadres. Controleer het adres en probeer het opnieuw.
email-required = Voer uw e-mailadres in.
change-email = Ander adres gebruiken
email-subject = Uw eenmalige code
email-body = Uw eenmalige code is { $code }. Deze is { $minutes } minuten geldig. Hebt u geen code aangevraagd? Dan kunt u dit bericht negeren.

## Codes die een applicatie rechtstreeks aanvraagt (geen inlogpagina)
grant-otp-body = Uw eenmalige wachtwoord is { $code }

## Limieten die gebruikers en de dienst beschermen
limit-wait = { $minutes ->
    [one] Te veel pogingen. Probeer het over een minuut opnieuw.
   *[other] Te veel pogingen. Probeer het over { $minutes } minuten opnieuw.
}
sms-unavailable = We kunnen op dit moment geen sms-berichten versturen. Probeer het later opnieuw.
phone-not-mobile = We kunnen alleen codes naar mobiele nummers versturen. Voer een mobiel nummer in.
phone-region-refused = We kunnen geen codes naar nummers in dat land versturen. Voer een ander mobiel nummer in.

## Een betaling bevestigen (een code die gebonden is aan een bedrag en een begunstigde)
confirm-title = Betaling bevestigen
confirm-heading = Bevestig deze betaling
confirm-intro = Controleer het bedrag en aan wie u betaalt. De code werkt alleen voor deze betaling.
confirm-amount = Bedrag
confirm-payee = Begunstigde
confirm-message = Bericht
confirm-submit = Betaling bevestigen
sms-confirm = { $sender }: { $code } is uw code om { $amount } aan { $payee } te bevestigen. Deze is { $minutes } minuten geldig. Deel deze code met niemand.
email-confirm-subject = Uw code om een betaling te bevestigen
email-confirm-body = Uw code om de betaling van { $amount } aan { $payee } te bevestigen is { $code }. Deze is { $minutes } minuten geldig. Hebt u deze betaling niet zelf gestart? Gebruik de code dan niet.
