# Italiano (it)

## Cornice della pagina
page-title = Accesso
page-title-service = Accesso a { $service }
confirm-title-payee = Conferma del pagamento a { $payee }
title-error = Errore: { $title }
service-privacy = Privacy
service-help = Assistenza
language-label = Lingua
cancel-button = Annulla e torna indietro

## Scelta del metodo di accesso
choose-heading = Come desidera accedere?
provider-otp-sms = Codice monouso via SMS
choose-submit = Continua

## Pagina del numero di telefono
phone-heading = Inserisca il numero di cellulare
phone-intro = Le invieremo un codice monouso via SMS a questo numero.
phone-label = Numero di cellulare
phone-help = Ad esempio { $example }. Un numero non registrato in { $region } deve iniziare con il prefisso internazionale.
phone-submit = Invia codice
phone-invalid = Il numero di cellulare non è valido. Lo verifichi e riprovi.
phone-required = Inserisca il numero di cellulare.

## Pagina del codice
code-heading = Inserisca il codice
code-sent-to = Abbiamo inviato un codice al numero { $phone }.
code-label = Codice monouso
code-submit = Conferma
code-wrong = { $remaining ->
    [one] Il codice non è corretto. Le rimane un solo tentativo.
   *[other] Il codice non è corretto. Le rimangono { $remaining } tentativi.
}
code-malformed = Il codice deve essere di { $length } cifre.
code-required = Inserisca il codice che le abbiamo inviato.
code-expired = Il codice è scaduto. Ne richieda uno nuovo.
code-resent = Le abbiamo inviato un nuovo codice.
resend-submit = Invia un nuovo codice
resend-wait = Potrà richiedere un nuovo codice tra { $seconds } secondi.
resend-countdown = Potrà richiedere un nuovo codice tra { $time }.
resend-limit = Non è possibile inviare altri codici per questo accesso.
change-number = Usa un altro numero
send-failed = Non è stato possibile inviare il codice. Riprovi tra qualche istante.

## Pagine di errore
error-heading = Si è verificato un errore
error-not-found = Questo link di accesso non è valido. Torni al servizio e ricominci.
no-page-heading = Pagina non trovata
no-page = A questo indirizzo non c’è nulla. Se un servizio ti ha mandato qui, torna al servizio e ricomincia.
error-expired-heading = Questa procedura di accesso è scaduta
error-expired = È trascorso troppo tempo. Torni al servizio e ricominci.
error-failed = Sono stati inseriti troppi codici errati. Torni al servizio e ricominci.
error-finished = Questo accesso è già stato completato.
error-other-browser = Questo accesso è stato avviato in un altro browser. Apra il link nel browser in cui ha iniziato oppure ricominci.
error-form-expired = Il modulo non era più aggiornato. Riprovi.
error-unavailable = Il servizio è temporaneamente non disponibile. Riprovi tra qualche istante.
error-reference = Riferimento per l'assistenza: { $reference }
error-parameter = Per gli sviluppatori del servizio: il parametro «{ $parameter }» manca o non è valido.
back-to-service = Torna al servizio
back-to-named = Torna a { $service }
try-again = Riprova

## Testo dell'SMS. L'ultima riga (aggiunta dal broker) consente al telefono di proporre il codice per questo sito.
sms-body = { $sender }: { $code } è il suo codice monouso. Valido per { $minutes } minuti. Non lo comunichi a nessuno.

## Ritorno al servizio (OpenID Connect)
error-invalid-request = Il servizio da cui proviene ha inviato una richiesta di accesso che non possiamo accettare. Torni al servizio e riprovi.
redirect-heading = Ritorno al servizio in corso
redirect-text = Se non succede nulla, prema Continua.
continue-button = Continua
signed-out-heading = Ha effettuato la disconnessione
signed-out = Ora può chiudere questa finestra.

## Esiti mostrati brevemente prima del ritorno al servizio
outcome-cancelled-heading = Accesso annullato
outcome-cancelled = Ha annullato l'accesso. Nessun dato è stato condiviso con il servizio.
outcome-failed-heading = Accesso interrotto
outcome-failed = Sono stati inseriti troppi codici errati: per proteggerla abbiamo interrotto questo accesso.
outcome-moving-on = Tra qualche secondo tornerà al servizio.

## Codici monouso via e-mail
provider-otp-email = Codice monouso via e-mail
email-heading = Inserisca l'indirizzo e-mail
email-intro = Le invieremo un codice monouso via e-mail a questo indirizzo.
email-label = Indirizzo e-mail
email-invalid = L'indirizzo e-mail non è valido. Lo verifichi e riprovi.
email-required = Inserisca l'indirizzo e-mail.
change-email = Usa un altro indirizzo
email-subject = Il suo codice monouso
email-body = Il suo codice monouso è { $code }. È valido per { $minutes } minuti. Se non ha richiesto alcun codice, può ignorare questo messaggio.

## Codici richiesti direttamente da un'applicazione (nessuna pagina di accesso)
grant-otp-body = La sua password monouso è { $code }

## Limiti che proteggono gli utenti e il servizio
limit-wait = { $minutes ->
    [one] Troppi tentativi. Riprovi tra un minuto.
   *[other] Troppi tentativi. Riprovi tra { $minutes } minuti.
}
sms-unavailable = Al momento non è possibile inviare SMS. Riprovi più tardi.
phone-not-mobile = Possiamo inviare codici solo a numeri di cellulare. Inserisca un numero di cellulare.
phone-region-refused = Non possiamo inviare codici a numeri di quel paese. Inserisca un altro numero di cellulare.

## Conferma di un pagamento (un codice legato a un importo e a un beneficiario)
confirm-title = Conferma del pagamento
confirm-heading = Confermi questo pagamento
confirm-intro = Controlli l'importo e il beneficiario. Il codice vale solo per questo pagamento.
confirm-amount = Importo
confirm-payee = Beneficiario
confirm-message = Messaggio
confirm-submit = Conferma il pagamento
sms-confirm = { $sender }: { $code } è il suo codice per il pagamento di { $amount } a { $payee }. Valido per { $minutes } minuti. Non lo comunichi a nessuno.
email-confirm-subject = Il suo codice per confermare un pagamento
email-confirm-body = Il suo codice per confermare il pagamento di { $amount } a { $payee } è { $code }. È valido per { $minutes } minuti. Se non ha avviato lei questo pagamento, non usi il codice.
