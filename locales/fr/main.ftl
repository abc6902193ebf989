# Français (fr)

## Cadre de la page
page-title = Connexion
page-title-service = Connexion à { $service }
confirm-title-payee = Confirmer un paiement à { $payee }
title-error = Erreur : { $title }
service-privacy = Confidentialité
service-help = Aide
language-label = Langue
cancel-button = Annuler et revenir en arrière

## Choix du mode de connexion
choose-heading = Comment souhaitez-vous vous connecter ?
provider-otp-sms = Code à usage unique par SMS
choose-submit = Continuer

## Page du numéro de téléphone
phone-heading = Saisissez votre numéro de mobile
phone-intro = Nous vous enverrons un code à usage unique par SMS à ce numéro.
phone-label = Numéro de mobile
phone-help = Par exemple : { $example }. Un numéro hors { $region } doit commencer par l'indicatif de son pays.
phone-submit = Envoyer le code
phone-invalid = Ce numéro de mobile n'est pas valide. Vérifiez-le et réessayez.
phone-required = Saisissez votre numéro de mobile.

## Page du code
code-heading = Saisissez le code
code-sent-to = Nous avons envoyé un code au { $phone }.
code-label = Code à usage unique
code-submit = Confirmer
code-wrong = { $remaining ->
    [one] Le code est incorrect. Il vous reste { $remaining } tentative.
   *[other] Le code est incorrect. Il vous reste { $remaining } tentatives.
}
code-malformed = Le code doit comporter { $length } chiffres.
code-required = Saisissez le code que nous vous avons envoyé.
code-expired = Ce code a expiré. Demandez-en un nouveau.
code-resent = Nous vous avons envoyé un nouveau code.
resend-submit = Envoyer un nouveau code
resend-wait = Vous pourrez demander un nouveau code dans { $seconds } secondes.
resend-countdown = Vous pourrez demander un nouveau code dans { $time }.
resend-limit = Plus aucun code ne peut être envoyé pour cette connexion.
change-number = Utiliser un autre numéro
send-failed = Nous n'avons pas pu envoyer le code. Veuillez réessayer dans quelques instants.

## Pages d'erreur
error-heading = Une erreur s'est produite
error-not-found = Ce lien de connexion n'est pas valide. Revenez au service et recommencez.
no-page-heading = Page introuvable
no-page = Il n’y a rien à cette adresse. Si un service vous a envoyé ici, retournez-y et recommencez.
error-expired-heading = Cette connexion a expiré
error-expired = Le délai est dépassé. Revenez au service et recommencez.
error-failed = Trop de codes incorrects ont été saisis. Revenez au service et recommencez.
error-finished = Cette connexion est déjà terminée.
error-other-browser = Cette connexion a été commencée dans un autre navigateur. Ouvrez le lien dans le navigateur où vous l'avez commencée, ou recommencez.
error-form-expired = Le formulaire n'était plus à jour. Veuillez réessayer.
error-unavailable = Le service est temporairement indisponible. Veuillez réessayer dans quelques instants.
error-reference = Référence pour l'assistance : { $reference }
error-parameter = Pour les développeurs du service : le paramètre « { $parameter } » est manquant ou non valide.
back-to-service = Retour au service
back-to-named = Retour à { $service }
try-again = Réessayer

## Texte du SMS. La dernière ligne (ajoutée par le broker) permet au téléphone de proposer le code pour ce site.
sms-body = { $sender } : { $code } est votre code à usage unique. Il est valable { $minutes } minutes. Ne le communiquez à personne.

## Retour au service (OpenID Connect)
error-invalid-request = Le service d'où vous venez a envoyé une demande de connexion que nous ne pouvons pas accepter. Revenez au service et réessayez.
redirect-heading = Redirection vers le service
redirect-text = Si rien ne se passe, appuyez sur Continuer.
continue-button = Continuer
signed-out-heading = Vous êtes déconnecté
signed-out = Vous pouvez maintenant fermer cette fenêtre.

## Issues affichées brièvement avant le retour au service
outcome-cancelled-heading = Connexion annulée
outcome-cancelled = Vous avez annulé la connexion. Aucune information n'a été transmise au service.
outcome-failed-heading = Connexion interrompue
outcome-failed = Trop de codes incorrects ont été saisis : nous avons interrompu cette connexion pour vous protéger.
outcome-moving-on = Retour au service dans quelques secondes.

## Codes à usage unique par e-mail
provider-otp-email = Code à usage unique par e-mail
email-heading = Saisissez votre adresse e-mail
email-intro = Nous vous enverrons un code à usage unique par e-mail à cette adresse.
email-label = Adresse e-mail
email-invalid = Cette adresse e-mail n'est pas valide. Vérifiez-la et réessayez.
email-required = Saisissez votre adresse e-mail.
change-email = Utiliser une autre adresse
email-subject = Votre code à usage unique
email-body = Votre code à usage unique est { $code }. Il est valable { $minutes } minutes. Si vous n'avez pas demandé de code, vous pouvez ignorer ce message.

## Codes demandés directement par une application (sans page de connexion)
grant-otp-body = Votre mot de passe à usage unique est { $code }

## Limites qui protègent les utilisateurs et le service
limit-wait = { $minutes ->
    [one] Trop de tentatives. Veuillez réessayer dans { $minutes } minute.
   *[other] Trop de tentatives. Veuillez réessayer dans { $minutes } minutes.
}
sms-unavailable = Nous ne pouvons pas envoyer de SMS pour le moment. Veuillez réessayer plus tard.
phone-not-mobile = Nous ne pouvons envoyer des codes qu'à des numéros de mobile. Saisissez un numéro de mobile.
phone-region-refused = Nous ne pouvons pas envoyer de codes aux numéros de ce pays. Saisissez un autre numéro de mobile.

## Confirmation d'un paiement (un code lié à un montant et à un bénéficiaire)
confirm-title = Confirmer un paiement
confirm-heading = Confirmez ce paiement
confirm-intro = Vérifiez le montant et le bénéficiaire. Ce code n'est valable que pour ce paiement.
confirm-amount = Montant
confirm-payee = Bénéficiaire
confirm-message = Message
confirm-submit = Confirmer le paiement
sms-confirm = { $sender } : { $code } est votre code pour le paiement de { $amount } à { $payee }. Valable { $minutes } minutes. Ne le communiquez à personne.
email-confirm-subject = Votre code pour confirmer un paiement
email-confirm-body = Votre code pour confirmer le paiement de { $amount } à { $payee } est { $code }. Il est valable { $minutes } minutes. Si vous n'êtes pas à l'origine de ce paiement, n'utilisez pas ce code.
