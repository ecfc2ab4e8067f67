"""Finding the image of a new node, in the provider's own words.

Used by ``GenericDriver.find_image`` for every driver that has a
``get_image`` (one cheap call instead of listing every image).

When a provider refuses an image id (EC2's ``InvalidAMIID.NotFound``, a
Nova 404), the 400 the API answers names the cloud, the ``image`` field and
what the provider said, so that a typo and a permissions problem read
differently.
"""

from libcloud.common.exceptions import BaseHTTPError
from libcloud.common.types import ProviderError

from dispatcher import errors


def _status(exc):
    status = getattr(exc, 'code', None) or getattr(exc, 'http_code', None)
    try:
        return int(status)
    except (TypeError, ValueError):
        return None


#: Provider answers about the call, not about the image: throttling, the
#: farm's credentials, a timeout.  They are raised as they are (429, 502,
#: 504), never reported as an unknown image.
NOT_ABOUT_THE_IMAGE = frozenset({401, 403, 407, 408, 429})


def get_image(driver, image_id, cloud):
    """The libcloud image ``image_id`` by ``get_image``; 400 if refused.

    The 400 names the cloud, the ``image`` field and what the provider
    said.  A 5xx, a failed connection, throttling or refused credentials
    are raised as they are (502/503/504, 429).
    """
    try:
        image = driver.get_image(image_id)
    except (BaseHTTPError, ProviderError, IndexError) as exc:
        status = _status(exc)
        if status is not None and (
            not 400 <= status < 500 or status in NOT_ABOUT_THE_IMAGE
        ):
            raise
        said = (
            getattr(exc, 'message', None)
            or getattr(exc, 'value', None)
            or 'no such image'
        )
        raise errors.BadRequest(
            'cloud %r has no image %r: %s'
            % (cloud, image_id, str(said).strip()),
            field='image',
            code='invalid_field',
        )
    if image is None:
        raise errors.BadRequest(
            'cloud %r has no image %r' % (cloud, image_id),
            field='image',
            code='invalid_field',
        )
    return image
