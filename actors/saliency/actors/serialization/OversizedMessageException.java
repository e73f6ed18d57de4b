package saliency.actors.serialization;

/** Raised when a remote-bound message serializes to more bytes than one Artery frame may carry; immutable. */
public final class OversizedMessageException extends RuntimeException {
  private final String messageClass;
  private final int size;
  private final int limit;

  public OversizedMessageException(String messageClass, int size, int limit) {
    super(messageClass + " serializes to " + size + " bytes, over the limit of " + limit
        + " bytes (pekko.remote.artery.advanced.maximum-frame-size minus saliency.serialization.frame-headroom)");
    this.messageClass = messageClass;
    this.size = size;
    this.limit = limit;
  }

  public String messageClass() {
    return messageClass;
  }

  public int size() {
    return size;
  }

  public int limit() {
    return limit;
  }
}
