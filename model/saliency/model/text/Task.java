package saliency.model.text;

/** The saliency task a prompt asks for; each has a task token in the vocabulary. */
public enum Task {
  /** Salient object detection: region answer. */
  SOD("<sod>"),
  /** Camouflaged object detection: region answer. */
  COD("<cod>"),
  /** Salient instance segmentation: one instance answer per object. */
  SIS("<sis>"),
  /** Co-salient object detection: region answer per image of a group. */
  COSOD("<cosod>");

  private final String token;

  Task(String token) {
    this.token = token;
  }

  /** The task's prompt token text, e.g. {@code <sod>}. */
  public String token() {
    return token;
  }
}
