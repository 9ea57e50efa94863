/// One stage of a network, run over a whole minibatch at a time.
///
/// Shapes: input X is (B, inputSize), output Y is (B, outputSize), B the batch size.
/// `forward` keeps what `backward` needs; `backward` takes dL/dY and returns dL/dX, keeping the
/// gradients of the layer's own parameters (if any) until the next `backward`.
///
/// Layers own their output and gradient buffers and reuse them from step to step, so a training
/// step allocates nothing once the buffers have reached the batch size. The matrices returned are
/// valid until the next call on the same layer.
public protocol Layer: AnyObject {
    var inputSize: Int { get }
    var outputSize: Int { get }
    func forward(_ input: Matrix) -> Matrix
    func backward(_ outputGradient: Matrix) -> Matrix
}
