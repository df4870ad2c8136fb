//! The "What am I looking at?" panel: what the system, V, the normal derivative, the model and
//! the claim are, without hype.

pub const HTML: &str = r#"<summary>What am I looking at?</summary>
<p><strong>The system.</strong> Prey x multiply at rate α and are eaten at rate βxy; predators y
grow by δxy and die at rate γ: dx/dt = αx − βxy, dy/dt = δxy − γy (Lotka–Volterra). Every orbit is
a closed loop around the equilibrium (γ/δ, α/β). The populations cycle forever, and the starting
point fixes how large the cycle is.</p>
<p><strong>The conserved quantity V.</strong> V = δx − γ ln x + βy − α ln y does not change along an
orbit (dV/dt = 0), so each orbit is a level set of V, and V is smallest at the equilibrium. The
faint bands behind the dots are level sets of V. The paper calls it a Lyapunov function.</p>
<p><strong>The normal derivative ∂V/∂n.</strong> It is the slope of V straight across the orbit,
along the normal n = Jf/|f| (the velocity turned by a right angle). Where it is small, V is flat:
a nudge across the orbit changes V only a little. For this system ∂V/∂n = |∇V|. It is largest near
the axes, where a population is close to zero.</p>
<p><strong>The data and the model.</strong> N points are sampled along one orbit and Gaussian noise σ
is added. The paper's model gives every noisy point a score w·x̃ + b, turns the scores into
attention weights with a softmax over time, and rebuilds the orbit as r_t = N·a_t·x̃_t. Adam
adjusts w and b to make r close to the clean orbit. Uniform attention (every a_t = 1/N) simply
returns the noisy data.</p>
<p><strong>The claim being tested.</strong> The paper reports that training puts high attention
where V is flat and low attention where it is steep. The lab measures this on the current run.
Pearson r and Spearman ρ between attention and ∂V/∂n are negative when the claim holds. The peak
offset is how far apart in time the attention peak and the ∂V/∂n minimum are. The verdict line
puts those numbers into words.</p>
<p><strong>Before you conclude.</strong> This model can only make attention an exponential of a
linear function of the noisy state, a_t ∝ exp(w·x̃_t). With small w the attention is nearly
uniform, so check max/min and the effective sample size (ESS) before reading much into r. And one
noise draw is one sample: press New noise a few times, or read FINDINGS.md for the claim over
many seeds and noise levels.</p>"#;
