# Español (es)

## Marco de la página
page-title = Iniciar sesión
page-title-service = Iniciar sesión en { $service }
confirm-title-payee = Confirmar un pago a { $payee }
title-error = Error: { $title }
service-privacy = Privacidad
service-help = Ayuda
language-label = Idioma
cancel-button = Cancelar y volver

## Elección del método de acceso
choose-heading = ¿Cómo quieres iniciar sesión?
provider-otp-sms = Código de un solo uso por SMS
choose-submit = Continuar

## Página del número de teléfono
phone-heading = Introduce tu número de móvil
phone-intro = Te enviaremos un código de un solo uso a este número por SMS.
phone-label = Número de móvil
phone-help = Por ejemplo, { $example }. Un número de fuera de { $region } debe empezar por el prefijo de su país.
phone-submit = Enviar código
phone-invalid = Ese número de móvil no es válido. Revísalo e inténtalo de nuevo.
phone-required = Introduce tu número de móvil.

## Página del código
code-heading = Introduce el código
code-sent-to = Hemos enviado un código al { $phone }.
code-label = Código de un solo uso
code-submit = Confirmar
code-wrong = { $remaining ->
    [one] El código no es correcto. Te queda un intento.
   *[other] El código no es correcto. Te quedan { $remaining } intentos.
}
code-malformed = El código debe tener { $length } dígitos.
code-required = Introduce el código que te hemos enviado.
code-expired = Este código ha caducado. Solicita uno nuevo.
code-resent = Te hemos enviado un código nuevo.
resend-submit = Enviar un código nuevo
resend-wait = Podrás solicitar un código nuevo dentro de { $seconds } segundos.
resend-countdown = Podrás solicitar un código nuevo dentro de { $time }.
resend-limit = No se pueden enviar más códigos para este inicio de sesión.
change-number = Usar otro número
send-failed = No hemos podido enviar el código. Inténtalo de nuevo en unos instantes.

## Páginas de error
error-heading = Algo ha salido mal
error-not-found = Este enlace de inicio de sesión no es válido. Vuelve al servicio y empieza de nuevo.
no-page-heading = Página no encontrada
no-page = No hay nada en esta dirección. Si un servicio le ha enviado aquí, vuelva a él y empiece de nuevo.
error-expired-heading = Este inicio de sesión ha caducado
error-expired = Has tardado demasiado. Vuelve al servicio y empieza de nuevo.
error-failed = Se han introducido demasiados códigos incorrectos. Vuelve al servicio y empieza de nuevo.
error-finished = Este inicio de sesión ya ha finalizado.
error-other-browser = Este inicio de sesión se empezó en otro navegador. Abre el enlace en el navegador donde empezaste o empieza de nuevo.
error-form-expired = El formulario estaba desactualizado. Inténtalo de nuevo.
error-unavailable = El servicio no está disponible temporalmente. Inténtalo de nuevo en unos instantes.
error-reference = Referencia para el servicio de asistencia: { $reference }
error-parameter = Para los desarrolladores del servicio: falta el parámetro «{ $parameter }» o no es válido.
back-to-service = Volver al servicio
back-to-named = Volver a { $service }
try-again = Volver a intentarlo

## Texto del SMS. La última línea (la añade el broker) permite al teléfono proponer el código para este sitio.
sms-body = { $sender }: { $code } es tu clave de un solo uso. Caduca en { $minutes } minutos. No la compartas con nadie.

## Vuelta al servicio (OpenID Connect)
error-invalid-request = El servicio que te ha enviado aquí ha hecho una solicitud de inicio de sesión que no podemos aceptar. Vuelve al servicio e inténtalo de nuevo.
redirect-heading = Volviendo al servicio
redirect-text = Si no ocurre nada, pulsa Continuar.
continue-button = Continuar
signed-out-heading = Has cerrado sesión
signed-out = Ya puedes cerrar esta ventana.

## Resultados que se muestran brevemente antes de volver al servicio
outcome-cancelled-heading = Inicio de sesión cancelado
outcome-cancelled = Has cancelado el inicio de sesión. No se ha compartido nada con el servicio.
outcome-failed-heading = Inicio de sesión detenido
outcome-failed = Se han introducido demasiados códigos incorrectos, así que hemos detenido este inicio de sesión para protegerte.
outcome-moving-on = Volverás al servicio en unos segundos.

## Códigos de un solo uso por correo electrónico
provider-otp-email = Código de un solo uso por correo electrónico
email-heading = Introduce tu dirección de correo electrónico
email-intro = Te enviaremos un código de un solo uso a esta dirección por correo electrónico.
email-label = Dirección de correo electrónico
email-invalid = Esa dirección de correo electrónico no es válida. Revísala e inténtalo de nuevo.
email-required = Introduce tu dirección de correo electrónico.
change-email = Usar otra dirección
email-subject = Tu código de un solo uso
email-body = Tu código de un solo uso es { $code }. Es válido durante { $minutes } minutos. Si no has solicitado ningún código, puedes ignorar este mensaje.

## Códigos solicitados directamente por una aplicación (sin página de inicio de sesión)
grant-otp-body = Tu contraseña de un solo uso es { $code }

## Límites que protegen a los usuarios y al servicio
limit-wait = { $minutes ->
    [one] Demasiados intentos. Inténtalo de nuevo dentro de un minuto.
   *[other] Demasiados intentos. Inténtalo de nuevo dentro de { $minutes } minutos.
}
sms-unavailable = No podemos enviar SMS en este momento. Inténtalo de nuevo más tarde.
phone-not-mobile = Solo podemos enviar códigos a números de móvil. Introduce un número de móvil.
phone-region-refused = No podemos enviar códigos a números de ese país. Introduce otro número de móvil.

## Confirmación de un pago (un código vinculado a un importe y a un beneficiario)
confirm-title = Confirmar un pago
confirm-heading = Confirma este pago
confirm-intro = Comprueba el importe y a quién pagas. El código solo sirve para este pago.
confirm-amount = Importe
confirm-payee = Beneficiario
confirm-message = Mensaje
confirm-submit = Confirmar pago
sms-confirm = { $sender }: { $code } es tu clave para confirmar el pago de { $amount } a { $payee }. Caduca en { $minutes } minutos. No la compartas con nadie.
email-confirm-subject = Tu código para confirmar un pago
email-confirm-body = Tu código para confirmar el pago de { $amount } a { $payee } es { $code }. Es válido durante { $minutes } minutos. Si no has iniciado tú este pago, no uses el código.
